/**
 * Deliveries that fail after their answer. Probot answers a webhook 202 ("still processing") after 9 s while its
 * handlers go on; when they fail afterwards, GitHub has recorded a success and never lists the delivery as failed.
 * The server runs each webhook request inside `whileAnswering(res, …)` and passes each delivery's handlers through
 * `noteFailureAfterAnswer`: a failure after the response was sent records the delivery's GUID (X-GitHub-Delivery) in
 * the coordinator, where the redeliverer (any replica's leader) finds it. A failure before the answer is answered
 * with an error as before, and GitHub lists it as failed: it is not recorded, so it is asked for once.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ServerResponse } from "node:http";
import type { Coordinator } from "../coordination/coordinator.js";

export interface FailedAfterAnswerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The response of the webhook request being handled, in the async context of its handlers. */
const answering = new AsyncLocalStorage<Pick<ServerResponse, "headersSent">>();

/** Runs `handle` (the webhook middleware of one request) with `res` as the response its handlers are answered by. */
export function whileAnswering<T>(res: Pick<ServerResponse, "headersSent">, handle: () => T): T {
  return answering.run(res, handle);
}

/**
 * `work` (the handlers of delivery `guid`), unchanged, except that when it fails after the response of the current
 * request was sent, `guid` is recorded first (a failure to record is logged: that delivery will not be redelivered).
 * `coordinator` is looked up then (the app's, `coordinatorOf`). Called where the work starts, in the request's async
 * context.
 */
export function noteFailureAfterAnswer<T>(work: Promise<T>, guid: string, coordinator: () => Pick<Coordinator, "noteFailedAfterAnswer"> | undefined, log: FailedAfterAnswerLog): Promise<T> {
  const res = answering.getStore();
  return work.catch(async (error: unknown) => {
    if (res?.headersSent) {
      await Promise.resolve()
        .then(() => coordinator()?.noteFailedAfterAnswer(guid) ?? Promise.reject(new Error("the app attached no coordinator")))
        .then(
          () => log.warn({ guid }, "webhook delivery failed after its answer was sent: recorded for the redeliverer"),
          (recordError: unknown) => log.error({ guid, err: recordError }, "webhook delivery failed after its answer was sent and could not be recorded: it will not be redelivered"),
        );
    }
    throw error;
  });
}
