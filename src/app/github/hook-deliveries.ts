/** The app's webhook deliveries (authenticated as the app itself, with its JWT). */
import type { DeliveryAttemptFacts } from "../../redelivery/plan-redeliveries.js";
import type { GitHubClient } from "./github-client.js";

interface DeliveryItem {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  event: string;
  action: string | null;
}

/**
 * The most recent attempts, newest first, until one older than `since` or `maxPages` pages of 100 (GitHub's cursor
 * pagination, followed through the Link header).
 */
export async function listRecentDeliveries(gh: GitHubClient, options: { since: Date; maxPages: number }): Promise<DeliveryAttemptFacts[]> {
  const out: DeliveryAttemptFacts[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    const res = await gh.request("GET /app/hook/deliveries", { per_page: 100, ...(cursor !== undefined ? { cursor } : {}) });
    const items = res.data as DeliveryItem[];
    for (const d of items) out.push({ id: d.id, guid: d.guid, deliveredAt: d.delivered_at, redelivery: d.redelivery, statusCode: d.status_code, event: d.event, action: d.action ?? null });
    const oldest = items[items.length - 1];
    if (oldest === undefined || Date.parse(oldest.delivered_at) < options.since.getTime()) break;
    const next = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ""))?.[1];
    cursor = next !== undefined ? (new URL(next).searchParams.get("cursor") ?? undefined) : undefined;
    if (cursor === undefined) break;
  }
  return out;
}

/** Asks GitHub to deliver an attempt's event again (same delivery id and body; 202 Accepted). */
export async function redeliverDelivery(gh: GitHubClient, attemptId: number): Promise<void> {
  await gh.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: attemptId });
}
