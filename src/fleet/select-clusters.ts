import type { Fleet, FleetCluster } from "./build-fleet.js";
import { matchesLabelSelector } from "./matches-label-selector.js";
import type { LabelSelector } from "./matches-label-selector.js";

/** Clusters whose labels match the selector, optionally only those of one environment, in configuration order. */
export function selectClusters(fleet: Fleet, selector: LabelSelector, options: { environment?: string } = {}): FleetCluster[] {
  return fleet.clusters.filter(
    (c) => (options.environment === undefined || c.environment === options.environment) && matchesLabelSelector(c.labels, selector),
  );
}
