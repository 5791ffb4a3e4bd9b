/**
 * Delivers the simulator's webhooks, in emission order, to in-process handlers and/or HTTP endpoints.
 * Deliveries can be held (queued until released) or dropped (lost webhooks), and redelivered by id.
 */
import { createHmac, randomUUID } from "node:crypto";
import { WebhookFanOut } from "./webhook-fan-out.js";

export interface WebhookDelivery {
  /** X-GitHub-Delivery */
  id: string;
  /** X-GitHub-Event, e.g. "pull_request" */
  name: string;
  payload: object;
  /** The exact JSON body that was signed. */
  body: string;
  /** X-Hub-Signature-256: `sha256=` + HMAC-SHA256 hex of `body` with the app's webhook secret. */
  signature256: string;
  /** The app the delivery is addressed to. */
  appId: number;
  /** Set on redeliveries (GitHub sends the same delivery id again). */
  redelivery: boolean;
}

export type WebhookHandler = (delivery: WebhookDelivery) => unknown;

/**
 * One attempt to deliver to an HTTP endpoint, as GitHub lists them (`GET /app/hook/deliveries`): `id` numbers the
 * attempt, `guid` is the X-GitHub-Delivery shared by an event's first delivery and its redeliveries.
 */
export interface DeliveryAttempt {
  id: number;
  guid: string;
  appId: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  /** The HTTP status the endpoint answered, 0 when it could not be reached. */
  statusCode: number;
  deliveredAt: string;
  durationMs: number;
  redelivery: boolean;
  /** The endpoint the attempt went to (not part of GitHub's view). */
  url: string;
}

export interface DeliveryFailure {
  delivery: WebhookDelivery;
  error: unknown;
}

export class WebhookDispatcher {
  private readonly handlers: WebhookHandler[] = [];
  private readonly urls: string[] = [];
  private readonly fanOuts: WebhookFanOut[] = [];
  private readonly log: WebhookDelivery[] = [];
  private readonly heldQueue: WebhookDelivery[] = [];
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private mode: "deliver" | "hold" | "drop" = "deliver";
  private dropCount = 0;
  readonly dropped: WebhookDelivery[] = [];
  readonly failures: DeliveryFailure[] = [];
  /** Every attempt to an HTTP endpoint, oldest first. */
  readonly attempts: DeliveryAttempt[] = [];

  /** `now` dates the attempts (the simulator's clock). */
  constructor(private readonly now: () => Date = () => new Date()) {}

  onWebhook(handler: WebhookHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const i = this.handlers.indexOf(handler);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  deliverTo(url: string): () => void {
    this.urls.push(url);
    return () => {
      const i = this.urls.indexOf(url);
      if (i >= 0) this.urls.splice(i, 1);
    };
  }

  /**
   * Replicas of one app: each delivery goes to one of `urls` in turn; `toAll(match)` on the result sends the chosen
   * deliveries to all of them at once. Returns the fan-out and a function that stops delivering to them.
   */
  spreadOver(urls: readonly string[]): { fanOut: WebhookFanOut; stop: () => void } {
    const fanOut = new WebhookFanOut(urls);
    this.fanOuts.push(fanOut);
    const stop = () => {
      const i = this.fanOuts.indexOf(fanOut);
      if (i >= 0) this.fanOuts.splice(i, 1);
    };
    return { fanOut, stop };
  }

  /** Every delivery created so far (delivered, held or dropped), oldest first. */
  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  emit(name: string, payload: object, appId: number, secret: string): WebhookDelivery {
    const body = JSON.stringify(payload);
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      name,
      payload,
      body,
      signature256: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      appId,
      redelivery: false,
    };
    this.log.push(delivery);
    if (this.dropCount > 0) {
      this.dropCount--;
      this.dropped.push(delivery);
    } else if (this.mode === "drop") this.dropped.push(delivery);
    else if (this.mode === "hold") this.heldQueue.push(delivery);
    else this.schedule(delivery);
    return delivery;
  }

  /** Queue deliveries instead of sending them, until `release()`. */
  hold(): void {
    this.mode = "hold";
  }
  /** Lose every delivery until `resume()`. */
  dropAll(): void {
    this.mode = "drop";
  }
  /** Lose the next `count` deliveries. */
  dropNext(count = 1): void {
    this.dropCount += count;
  }
  resume(): void {
    this.mode = "deliver";
  }
  /** Sends the held deliveries (in order) and goes back to delivering. */
  release(): void {
    this.mode = "deliver";
    for (const d of this.heldQueue.splice(0)) this.schedule(d);
  }
  held(): readonly WebhookDelivery[] {
    return this.heldQueue;
  }

  /** Sends a past delivery again with the same id, body and signature. */
  redeliver(id: string): WebhookDelivery {
    const original = this.log.find((d) => d.id === id);
    if (!original) throw new Error(`no webhook delivery with id ${id}`);
    const again: WebhookDelivery = { ...original, redelivery: true };
    this.schedule(again);
    return again;
  }

  private schedule(delivery: WebhookDelivery): void {
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        for (const handler of [...this.handlers]) await handler(delivery);
        for (const url of [...this.urls]) await this.post(url, delivery);
        for (const fanOut of [...this.fanOuts]) {
          const sent = await Promise.allSettled(fanOut.targets(delivery).map((url) => this.post(url, delivery)));
          for (const r of sent) if (r.status === "rejected") this.failures.push({ delivery, error: r.reason });
        }
      } catch (error) {
        this.failures.push({ delivery, error });
      } finally {
        this.pending--;
      }
    });
  }

  /** One attempt: POSTs the delivery to `url`, records it; throws when it could not connect or got an error status. */
  private async post(url: string, delivery: WebhookDelivery): Promise<void> {
    const started = Date.now();
    const attempt = this.recordAttempt(delivery, url);
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/sim",
        "x-github-event": delivery.name,
        "x-github-delivery": delivery.id,
        "x-hub-signature-256": delivery.signature256,
        "x-github-hook-installation-target-id": String(delivery.appId),
        "x-github-hook-installation-target-type": "integration",
      },
      body: delivery.body,
    }).catch((error: unknown) => {
      attempt.durationMs = Date.now() - started;
      throw error;
    });
    await res.arrayBuffer();
    attempt.statusCode = res.status;
    attempt.durationMs = Date.now() - started;
    if (res.status >= 400) throw new Error(`webhook ${delivery.name} ${delivery.id} to ${url}: HTTP ${res.status}`);
  }

  private recordAttempt(delivery: WebhookDelivery, url: string): DeliveryAttempt {
    const payload = delivery.payload as { action?: unknown; installation?: { id?: unknown }; repository?: { id?: unknown } };
    const attempt: DeliveryAttempt = {
      id: this.attempts.length + 1,
      guid: delivery.id,
      appId: delivery.appId,
      event: delivery.name,
      action: typeof payload.action === "string" ? payload.action : null,
      installationId: typeof payload.installation?.id === "number" ? payload.installation.id : null,
      repositoryId: typeof payload.repository?.id === "number" ? payload.repository.id : null,
      statusCode: 0,
      deliveredAt: this.now().toISOString(),
      durationMs: 0,
      redelivery: delivery.redelivery,
      url,
    };
    this.attempts.push(attempt);
    return attempt;
  }

  /**
   * Resolves once every scheduled delivery was handled, including deliveries caused by handlers.
   * Throws if a handler or endpoint failed since the last `settle()`.
   */
  async settle(): Promise<void> {
    while (this.pending > 0) await this.chain;
    const failed = this.failures.splice(0);
    if (failed.length > 0) {
      const first = failed[0];
      const reason = first?.error instanceof Error ? first.error.message : String(first?.error);
      throw new AggregateError(
        failed.map((f) => f.error),
        `${failed.length} webhook deliveries failed; first: ${first?.delivery.name} (${first?.delivery.id}): ${reason}`,
      );
    }
  }
}
