import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";
import { buildFleet } from "../../src/fleet/build-fleet.js";
import type { Fleet } from "../../src/fleet/build-fleet.js";

const dir = join(process.cwd(), "test", "fixtures", "promotion");

export function fixture(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** Loads a configuration that must have no errors. */
export function configOf(text: string): FleetwardConfig {
  const { config, diagnostics } = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });
  if (!config) throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics)}`);
  return config;
}

export function fleetOf(text: string = fixture("fleet.yml")): Fleet {
  return buildFleet(configOf(text));
}
