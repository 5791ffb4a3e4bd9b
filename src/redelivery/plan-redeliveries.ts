/**
 * Which failed webhook deliveries to ask GitHub to send again. GitHub never redelivers by itself: a delivery the
 * app answered with an error (or could not receive: a restart, an outage, a refused connection) is lost unless
 * somebody asks (`POST /app/hook/deliveries/{id}/attempts`). Pure: GitHub's own list of attempts is the memory, so a
 * restarted process or another replica decides the same.
 *
 * An event (one `guid`) is redelivered when none of its attempts succeeded, none of them is already a redelivery
 * (each event is asked for once, whoever asked: this app, another replica, a person in GitHub's settings page), its
 * latest attempt is at least `minAgeMs` old (GitHub may still be retrying the connection) and at most `maxAgeMs` old
 * (GitHub keeps three days; an old event is better left to the reconciler than replayed late), oldest first, at
 * most `max` per run.
 *
 * A delivery GitHub saw succeed can have failed all the same: Probot answers 202 after 9 s while the handlers go on,
 * and the server records the GUIDs whose handlers then failed (`failedAfterAnswer`). Those count as failed here, by the
 * same rules (asked for once, whichever list found them); the plan names the recorded GUIDs to forget (asked for now,
 * or never to be asked for since an attempt is already a redelivery).
 */

export interface DeliveryAttemptFacts {
  /** The attempt's id (what the redelivery request names). */
  id: number;
  /** X-GitHub-Delivery: shared by an event's attempts. */
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  /** The HTTP status the app answered; 0 when GitHub could not connect. */
  statusCode: number;
  event: string;
  action: string | null;
}

export interface RedeliveryOptions {
  now: Date;
  minAgeMs: number;
  maxAgeMs: number;
  max: number;
}

export interface PlannedRedelivery {
  attemptId: number;
  guid: string;
  event: string;
  action: string | null;
  failedWith: number;
  /** Answered 202 (the status in `failedWith`), then its handlers failed. */
  afterAnswer: boolean;
}

export interface RedeliveryPlan {
  redeliver: PlannedRedelivery[];
  /** Failed events not asked for this run because of `max` (the next run takes them). */
  deferred: number;
  /** Failed events whose one redelivery failed too: left alone (bounded), counted for the log and metrics. */
  givenUp: number;
  /** Recorded failed-after-answer GUIDs done with: planned now, or given up. */
  forget: string[];
}

export const DEFAULT_REDELIVERY_OPTIONS: Omit<RedeliveryOptions, "now"> = { minAgeMs: 60_000, maxAgeMs: 6 * 3600_000, max: 25 };

const succeeded = (a: DeliveryAttemptFacts) => a.statusCode >= 200 && a.statusCode < 300;

export function planRedeliveries(attempts: readonly DeliveryAttemptFacts[], options: RedeliveryOptions, failedAfterAnswer: ReadonlySet<string> = new Set()): RedeliveryPlan {
  const byGuid = new Map<string, DeliveryAttemptFacts[]>();
  for (const a of attempts) {
    const list = byGuid.get(a.guid);
    if (list) list.push(a);
    else byGuid.set(a.guid, [a]);
  }
  const now = options.now.getTime();
  const candidates: Array<PlannedRedelivery & { at: number }> = [];
  let givenUp = 0;
  const forget: string[] = [];
  for (const [guid, list] of byGuid) {
    const afterAnswer = failedAfterAnswer.has(guid);
    if (!afterAnswer && list.some(succeeded)) continue;
    if (list.some((a) => a.redelivery)) {
      givenUp++;
      if (afterAnswer) forget.push(guid);
      continue;
    }
    const times = list.map((a) => Date.parse(a.deliveredAt)).filter((t) => !Number.isNaN(t));
    if (times.length === 0) continue;
    const latest = Math.max(...times);
    if (now - latest < options.minAgeMs || now - latest > options.maxAgeMs) continue;
    const first = list.reduce((a, b) => (Date.parse(b.deliveredAt) < Date.parse(a.deliveredAt) || (b.deliveredAt === a.deliveredAt && b.id < a.id) ? b : a));
    const last = list.reduce((a, b) => (b.id > a.id ? b : a));
    candidates.push({ attemptId: first.id, guid, event: first.event, action: first.action, failedWith: last.statusCode, afterAnswer, at: Math.min(...times) });
  }
  candidates.sort((a, b) => a.at - b.at || a.attemptId - b.attemptId);
  const chosen = candidates.slice(0, Math.max(0, options.max)).map(({ at: _at, ...rest }) => rest);
  forget.push(...chosen.filter((c) => c.afterAnswer).map((c) => c.guid));
  return { redeliver: chosen, deferred: candidates.length - chosen.length, givenUp, forget };
}
