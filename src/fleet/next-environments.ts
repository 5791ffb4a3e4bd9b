import type { Fleet } from "./build-fleet.js";

/** Environments that receive promotions from `environment` (its `promotesTo`), in configuration order. */
export function nextEnvironments(fleet: Fleet, environment: string): string[] {
  return fleet.environments.find((e) => e.name === environment)?.promotesTo.slice() ?? [];
}
