/**
 * Small adapters from the app's own outcomes to metrics and spans: promotion actions, alert requests, the policy
 * sandbox's timings.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JobTimings } from "../../sandbox/sandbox-jobs.js";
import type { PromotionOutcome as PromotionAction } from "../promotion/execute-promotions.js";
import { type AlertOutcome, type FleetwardMetrics, type PromotionOutcome, metrics as sharedMetrics } from "./metrics-registry.js";
import { inSpan, recordSpan } from "./tracing.js";

/** What an executed promotion counts as: a new pull request, one superseded by a newer change, or nothing written. */
export function promotionOutcome(action: PromotionAction["action"]): PromotionOutcome {
  return action === "opened" ? "opened" : action === "updated" ? "superseded" : "skipped";
}

/** An alert request's outcome by its answer: 2xx handled, 4xx refused, anything else an error. */
export function alertOutcome(status: number): AlertOutcome {
  return status >= 200 && status < 300 ? "handled" : status >= 400 && status < 500 ? "refused" : "error";
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** `route` (answering POST `path`) inside an `alert <source>` span, counted by source and outcome. */
export function observeAlertRoute(path: string, route: Route, target: FleetwardMetrics = sharedMetrics): Route {
  const source = path.split("/").pop() ?? path;
  return async (req, res) => {
    if ((req.url ?? "").split("?")[0] !== path) return false;
    return inSpan(`alert ${source}`, { "fleetward.alert.source": source, "http.route": path }, async (span) => {
      try {
        return await route(req, res);
      } finally {
        span.setAttribute("http.response.status_code", res.statusCode);
        target.alert(source, alertOutcome(res.statusCode));
      }
    });
  };
}

/** Records a sandbox job's timings as histograms and as spans (under the active span, ending now). */
export function observeSandboxTimings(outcome: { ok: boolean; value?: unknown }, target: FleetwardMetrics = sharedMetrics): void {
  const timings = outcome.ok ? (outcome.value as { timings?: JobTimings } | undefined)?.timings : undefined;
  if (!timings) return;
  // The worker ran compile then evaluation just before answering: the spans end now, in that order.
  const end = Date.now();
  const evaluated = end - (timings.evaluateMs ?? 0);
  if (timings.compileMs !== null) {
    target.policyCompileDuration.observe(timings.compileMs / 1000);
    recordSpan("policy compile", evaluated - timings.compileMs, evaluated, { "fleetward.sandbox": true });
  }
  if (timings.evaluateMs !== null) {
    target.policyEvaluationDuration.observe(timings.evaluateMs / 1000);
    recordSpan("policy evaluation", evaluated, end, { "fleetward.sandbox": true });
  }
}
