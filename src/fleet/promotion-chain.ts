import type { Fleet } from "./build-fleet.js";

/**
 * The environments a change passes through to reach `environment`, from the start of its chain to the
 * environment itself: for prod promoted from staging promoted from dev, `["dev", "staging", "prod"]`.
 * Empty for an unknown environment; stops before repeating itself if the (invalid) graph has a cycle.
 */
export function promotionChain(fleet: Fleet, environment: string): string[] {
  const byName = new Map(fleet.environments.map((e) => [e.name, e]));
  const chain: string[] = [];
  let cursor = byName.get(environment);
  while (cursor && !chain.includes(cursor.name)) {
    chain.push(cursor.name);
    cursor = cursor.promotedFrom === null ? undefined : byName.get(cursor.promotedFrom);
  }
  return chain.reverse();
}
