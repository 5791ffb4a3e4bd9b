import { promotionConfigOf } from "../config/promotion-schema.js";
import type { PromotionMode } from "../config/schema.js";
import { effectiveSettings } from "../config/effective-settings.js";
import type { Fleet } from "../fleet/build-fleet.js";
import type { PromotionScope } from "./promotion-scope.js";
import { promotionScope } from "./promotion-scope.js";
import { resolveWaves } from "./resolve-waves.js";

export interface PromotionHop {
  from: PromotionScope;
  to: PromotionScope;
  mode: PromotionMode;
  /** A hop from one wave to the next of the same environment: it opens after the bake time (`planNextWave`). */
  bake: boolean;
}

/** Parses `prod`, `prod/canary` or a cluster name against the fleet; null when it names nothing. */
export function resolveScope(fleet: Fleet, name: string): PromotionScope | null {
  const slash = name.indexOf("/");
  if (slash > 0) {
    const environment = name.slice(0, slash);
    const wave = name.slice(slash + 1);
    return resolveWaves(fleet, environment).some((w) => w.name === wave) ? { environment, wave } : null;
  }
  if (fleet.environments.some((e) => e.name === name)) return { environment: name };
  const cluster = fleet.clusters.find((c) => c.name === name);
  return cluster ? { environment: cluster.environment, cluster: cluster.name } : null;
}

/**
 * Every promotion hop of the fleet: `promotedFrom` links (from the source's last wave to the target's first
 * wave when they have waves), each wave to the next wave of its environment, then `promotion.paths`, which
 * override the mode of a hop with the same ends or add a hop. A hop's mode is the path's mode, else the
 * target environment's `settings.promotion.mode`.
 */
export function promotionHops(fleet: Fleet): PromotionHop[] {
  const hops: PromotionHop[] = [];
  const modeOf = (env: string): PromotionMode => effectiveSettings(fleet.config, { environment: env }).promotion.mode;
  const edge = (env: string, which: "first" | "last"): PromotionScope => {
    const waves = resolveWaves(fleet, env);
    const w = which === "first" ? waves[0] : waves[waves.length - 1];
    return w === undefined ? { environment: env } : { environment: env, wave: w.name };
  };
  for (const env of fleet.environments) {
    if (env.promotedFrom !== null && fleet.environments.some((e) => e.name === env.promotedFrom)) {
      hops.push({ from: edge(env.promotedFrom, "last"), to: edge(env.name, "first"), mode: modeOf(env.name), bake: false });
    }
    const waves = resolveWaves(fleet, env.name);
    for (let i = 1; i < waves.length; i++) {
      const prev = waves[i - 1];
      const next = waves[i];
      if (prev && next) {
        hops.push({ from: { environment: env.name, wave: prev.name }, to: { environment: env.name, wave: next.name }, mode: modeOf(env.name), bake: true });
      }
    }
  }
  for (const path of promotionConfigOf(fleet.config).paths) {
    const from = resolveScope(fleet, path.from);
    const to = resolveScope(fleet, path.to);
    if (!from || !to) continue;
    const existing = hops.find((h) => promotionScope(h.from) === promotionScope(from) && promotionScope(h.to) === promotionScope(to));
    if (existing) {
      if (path.mode !== undefined) existing.mode = path.mode;
    } else {
      const bake = from.environment === to.environment && from.wave !== undefined && to.wave !== undefined;
      hops.push({ from, to, mode: path.mode ?? modeOf(to.environment), bake });
    }
  }
  return hops;
}
