/**
 * Several replicas of an app behind one webhook URL: each delivery goes to one of them in turn (round-robin, as a
 * load balancer spreads them), and the deliveries a test chooses go to all of them at once (the same event handled
 * concurrently by every replica, as after a duplicated delivery or a manual redelivery racing the original).
 */
import type { WebhookDelivery } from "./webhook-dispatcher.js";

export type DeliveryMatch = (delivery: WebhookDelivery) => boolean;

export class WebhookFanOut {
  private next = 0;
  private everyone: DeliveryMatch | undefined;
  /** url → how many deliveries it was sent (round-robin and all-at-once). */
  readonly sent = new Map<string, number>();

  constructor(readonly urls: readonly string[]) {
    if (urls.length === 0) throw new Error("WebhookFanOut: at least one URL is needed");
    for (const url of urls) this.sent.set(url, 0);
  }

  /** Deliveries that `match` are sent to every URL at once (replaces an earlier choice; `undefined` clears it). */
  toAll(match: DeliveryMatch | undefined): void {
    this.everyone = match;
  }

  /** Where `delivery` goes: every URL when chosen, else the next one in turn. */
  targets(delivery: WebhookDelivery): string[] {
    const chosen = this.everyone?.(delivery) ? [...this.urls] : [this.urls[this.next++ % this.urls.length] as string];
    for (const url of chosen) this.sent.set(url, (this.sent.get(url) ?? 0) + 1);
    return chosen;
  }
}
