/**
 * Every webhook delivery, from signature check to the last handler: counted by event, action and outcome, timed,
 * and run inside a `webhook <event>` span (delivery id, event, action, repository) that the handlers' spans and
 * GitHub calls nest under. Wraps the `verifyAndReceive` (the HTTP middleware's entry) and `receive` of Probot's
 * webhooks object.
 */
import { SpanKind, trace } from "@opentelemetry/api";
import type { Probot } from "probot";
import { type FleetwardMetrics, metrics as sharedMetrics } from "./metrics-registry.js";
import { inSpan } from "./tracing.js";

type Webhooks = Probot["webhooks"];
interface Delivery {
  id: string;
  name: string;
}

export function instrumentWebhooks(webhooks: Webhooks, target: FleetwardMetrics = sharedMetrics): void {
  // The action and repository of deliveries being handled, by delivery id (the verified payload is parsed inside).
  const actions = new Map<string, string>();
  webhooks.onAny((event) => {
    const payload = event.payload as { action?: unknown; repository?: { full_name?: unknown } };
    const action = typeof payload.action === "string" ? payload.action : "";
    actions.set(event.id, action);
    const repository = payload.repository?.full_name;
    trace.getActiveSpan()?.setAttributes({ "github.webhook.action": action, ...(typeof repository === "string" ? { "github.repository": repository } : {}) });
  });
  const wrap = <A extends Delivery>(receive: (delivery: A) => Promise<void>) => async (delivery: A): Promise<void> => {
    const started = performance.now();
    let outcome: "success" | "error" = "error";
    try {
      await inSpan(`webhook ${delivery.name}`, { "github.delivery": delivery.id, "github.event": delivery.name }, () => receive(delivery), SpanKind.SERVER);
      outcome = "success";
    } finally {
      // A delivery whose signature failed never reached onAny: its event header is anyone's text, not a label.
      const action = actions.get(delivery.id);
      target.webhook(action === undefined ? "unverified" : delivery.name, action, outcome, (performance.now() - started) / 1000);
      actions.delete(delivery.id);
    }
  };
  webhooks.verifyAndReceive = wrap(webhooks.verifyAndReceive.bind(webhooks));
  webhooks.receive = wrap(webhooks.receive.bind(webhooks));
}
