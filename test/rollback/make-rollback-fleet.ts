import { buildFleet } from "../../src/fleet/build-fleet.js";
import type { Fleet } from "../../src/fleet/build-fleet.js";
import { fleetwardConfigSchema } from "../../src/config/schema.js";
import type { FleetwardConfig, FleetwardConfigInput } from "../../src/config/schema.js";

/** dev → staging → prod, prod with two clusters that have their own folders, staging with one without. */
export const BASE_CONFIG: FleetwardConfigInput = {
  environments: [
    { name: "dev", paths: ["envs/dev/**"] },
    { name: "staging", paths: ["envs/staging/**"], promotedFrom: "dev" },
    { name: "prod", paths: ["envs/prod/**"], promotedFrom: "staging" },
  ],
  clusters: [
    { name: "prod-eu-1", environment: "prod", paths: ["clusters/prod-eu-1/**"] },
    { name: "prod-us-1", environment: "prod", paths: ["clusters/prod-us-1/**"] },
    { name: "staging-1", environment: "staging" },
  ],
  rollback: {
    rules: [
      {
        name: "slo-pages",
        match: ["sloth_severity=page"],
        environment: { label: "env", map: { production: "prod", stage: "staging" } },
        cluster: { label: "cluster", optional: true },
        component: { label: "sloth_service", optional: true },
      },
    ],
  },
};

/** A validated configuration (schema defaults applied) and its fleet. */
export function makeRollbackFleet(overrides: Partial<FleetwardConfigInput> = {}): { config: FleetwardConfig; fleet: Fleet } {
  const config = fleetwardConfigSchema.parse({ ...BASE_CONFIG, ...overrides });
  return { config, fleet: buildFleet(config) };
}
