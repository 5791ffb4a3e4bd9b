import { promotionConfigOf } from "../config/promotion-schema.js";
import { parseDuration } from "../config/parse-duration.js";
import type { Fleet } from "../fleet/build-fleet.js";
import { matchesLabelSelector } from "../fleet/matches-label-selector.js";

export interface ResolvedWave {
  name: string;
  /** Position in the environment's waves (0 = first). */
  index: number;
  /** Clusters of the wave, in configuration order of `clusters`. */
  clusters: string[];
  bakeMs: number;
}

/**
 * The waves of an environment with their clusters: a wave takes the clusters it names and those its
 * selector matches, of its environment only; a cluster claimed by two waves stays in the first; a cluster of
 * the environment that no wave claims joins the last wave, so no cluster is ever left out. Empty when the
 * environment has no waves.
 */
export function resolveWaves(fleet: Fleet, environment: string): ResolvedWave[] {
  const configured = promotionConfigOf(fleet.config).waves[environment] ?? [];
  const envClusters = fleet.clusters.filter((c) => c.environment === environment);
  const claimed = new Set<string>();
  const waves = configured.map((w, index): ResolvedWave => {
    const clusters = envClusters
      .filter((c) => !claimed.has(c.name) && (w.clusters.includes(c.name) || (w.selector !== undefined && matchesLabelSelector(c.labels, w.selector))))
      .map((c) => c.name);
    clusters.forEach((c) => claimed.add(c));
    const bake = parseDuration(w.bake);
    return { name: w.name, index, clusters, bakeMs: bake.ok ? bake.ms : 0 };
  });
  const last = waves[waves.length - 1];
  if (last) for (const c of envClusters) if (!claimed.has(c.name)) last.clusters.push(c.name);
  return waves;
}
