import type { Fleet, FleetCluster } from "./build-fleet.js";

/** The clusters of one environment, in configuration order (empty for an unknown environment). */
export function clustersOfEnvironment(fleet: Fleet, environment: string): FleetCluster[] {
  return fleet.clusters.filter((c) => c.environment === environment);
}
