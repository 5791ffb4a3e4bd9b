/**
 * The app's webhook deliveries (app JWT): `GET /app/hook/deliveries` lists the dispatcher's attempts to HTTP
 * endpoints newest first with GitHub's cursor pagination (`cursor` = the last id of the previous page, a
 * `Link: <…cursor=…>; rel="next"` header) and its `status=success|failure` filter; `POST
 * /app/hook/deliveries/{delivery_id}/attempts` redelivers the attempt's event (same guid and body, `redelivery`).
 */
import { HttpError } from "./http-error.js";
import type { RestContext, RestResult } from "./rest-handlers.js";
import type { DeliveryAttempt } from "./webhook-dispatcher.js";

function appOf(ctx: RestContext): number {
  if (ctx.appId === undefined || ctx.installation !== undefined || ctx.userToken !== undefined) {
    throw new HttpError(401, "A JSON web token could not be decoded");
  }
  return ctx.appId;
}

function query(ctx: RestContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function view(a: DeliveryAttempt): Record<string, unknown> {
  const ok = a.statusCode >= 200 && a.statusCode < 300;
  return {
    id: a.id,
    guid: a.guid,
    delivered_at: a.deliveredAt,
    redelivery: a.redelivery,
    duration: a.durationMs / 1000,
    status: ok ? "OK" : a.statusCode === 0 ? "failed to connect to host" : `Invalid HTTP Response: ${a.statusCode}`,
    status_code: a.statusCode,
    event: a.event,
    action: a.action,
    installation_id: a.installationId,
    repository_id: a.repositoryId,
  };
}

export const hookDeliveryHandlers: Record<string, (ctx: RestContext) => RestResult> = {
  "apps/list-webhook-deliveries": (ctx) => {
    const appId = appOf(ctx);
    const status = query(ctx, "status");
    const perPage = Math.min(Math.max(Number(query(ctx, "per_page") ?? 30) || 30, 1), 100);
    const cursor = query(ctx, "cursor");
    const before = cursor === undefined ? Infinity : Number(cursor);
    if (Number.isNaN(before)) throw new HttpError(422, "Invalid cursor");
    const matching = ctx.sim.webhooks.attempts
      .filter((a) => a.appId === appId && a.id < before)
      .filter((a) => status === undefined || (status === "success") === (a.statusCode >= 200 && a.statusCode < 300))
      .sort((a, b) => b.id - a.id);
    const page = matching.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (matching.length > perPage) {
      const params = new URLSearchParams({ per_page: String(perPage), cursor: String(page[page.length - 1]!.id) });
      if (status !== undefined) params.set("status", status);
      headers.link = `<${ctx.base}/app/hook/deliveries?${params.toString()}>; rel="next"`;
    }
    return { body: page.map(view), headers };
  },
  "apps/redeliver-webhook-delivery": (ctx) => {
    const appId = appOf(ctx);
    const attempt = ctx.sim.webhooks.attempts.find((a) => a.appId === appId && String(a.id) === ctx.params["delivery_id"]);
    if (!attempt) throw new HttpError(404, "Not Found");
    ctx.sim.webhooks.redeliver(attempt.guid);
    return { status: 202, body: {} };
  },
};
