/**
 * "What is where" of one repository, from plain facts: the single source of `/promote status` and of the
 * `/fleet` page. Pure; the clock is `input.now`.
 */
import { freezeState } from "../../rollback/freeze-state.js";
import type { FleetStatusInput } from "./fleet-status-input.js";
import type { DeliveryMetrics, FleetStatus, LinkedItem } from "./fleet-status-types.js";
import { deliveryMetrics } from "./delivery-metrics.js";
import { asExistingIssues, bakingWaves, frozenScopes, lastReverts, openPromotions } from "./pending-work.js";
import { resolveScope } from "../promotion-hops.js";
import { statusColumns, versionMatrix } from "./version-matrix.js";

/** What the status cannot show, said on the page and in the comment. */
export const STATUS_NOTES = [
  "Versions are read from each component's folders as written (a cluster folder over its environment's shared folder); overlays are not rendered, so a tag set only in a base outside those folders shows as ?.",
];

const emptyDelivery = (since: Date): DeliveryMetrics => ({
  since: since.toISOString(),
  samples: [],
  leadTime: [],
  fleetComplete: { count: 0, medianSeconds: null, p90Seconds: null, maxSeconds: null },
  gateBlocked: [],
  revertRate: [],
});

export function planFleetStatus(input: FleetStatusInput): FleetStatus {
  const base = { repository: input.repository, generatedAt: input.now.toISOString() };
  const fleet = input.fleet;
  if (fleet === null) {
    return { ...base, problem: input.problem ?? "no valid configuration", columns: [], components: [], drift: [], promotions: [], baking: [], frozen: [], reverts: [], delivery: emptyDelivery(input.since), notes: [] };
  }
  const issues = asExistingIssues(input.incidents);
  const columns = statusColumns(fleet, (env, cluster) => freezeState(issues, cluster === null ? { env } : { env, cluster }).frozen);
  const promotions = openPromotions(input.openPromotions, input.repository.url);
  const openInto = (component: string, environment: string): LinkedItem | null =>
    promotions.find((p) => p.component === component && resolveScope(fleet, p.target)?.environment === environment)?.pr ?? null;
  const { components, drift } = versionMatrix(fleet, input.tree, columns, openInto);
  return {
    ...base,
    problem: input.problem ?? null,
    columns,
    components,
    drift,
    promotions,
    baking: bakingWaves(fleet, input.mergedPromotions, input.alerts, input.now),
    frozen: frozenScopes(input.incidents),
    reverts: lastReverts(input.reverts, input.maxReverts ?? 10),
    delivery: deliveryMetrics({ fleet, mergedPromotions: input.mergedPromotions, reverts: input.reverts, incidents: input.incidents, alerts: input.alerts, commitDates: input.commitDates, since: input.since }),
    notes: STATUS_NOTES,
  };
}
