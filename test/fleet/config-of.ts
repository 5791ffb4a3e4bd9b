import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";

/** Loads a repository configuration that must be free of errors (warnings allowed). */
export function configOf(text: string): FleetwardConfig {
  const { config, diagnostics } = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });
  if (!config) throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics)}`);
  return config;
}
