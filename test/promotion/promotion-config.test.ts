import { effectiveSettings } from "../../src/config/effective-settings.js";
import { loadConfig } from "../../src/config/load-config.js";
import { promotionConfigOf, promotionSettingsOf } from "../../src/config/promotion-schema.js";
import { checkPromotionSemantics } from "../../src/config/check-promotion-semantics.js";
import { configOf, fixture } from "./fixture.js";

const load = (text: string) => loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });

test("gate settings inherit repo → environment → cluster, objects merging key by key", () => {
  const config = configOf(`
environments:
  - name: prod
    paths: ["envs/prod/**"]
    settings:
      promotion:
        autoMerge: true
        gates: { approvals: { count: 2 } }
clusters:
  - name: prod-eu-1
    environment: prod
    paths: ["clusters/prod-eu-1/**"]
    settings:
      promotion:
        gates: { approvals: { teams: [acme/eu-oncall] }, windows: [{ kind: deny, days: [fri], start: "12:00" }] }
settings:
  promotion:
    gates: { approvals: { teams: [acme/sre] }, policyCheck: policy }
`);
  const repo = promotionSettingsOf(effectiveSettings(config).promotion);
  expect(repo.gates.approvals).toEqual({ count: 0, teams: ["acme/sre"] });
  expect(repo.autoMerge).toBe(false);
  const env = promotionSettingsOf(effectiveSettings(config, { environment: "prod" }).promotion);
  expect(env).toMatchObject({ autoMerge: true, mode: "manual", gates: { approvals: { count: 2, teams: ["acme/sre"] }, policyCheck: "policy", windows: [] } });
  const cluster = promotionSettingsOf(effectiveSettings(config, { cluster: "prod-eu-1" }).promotion);
  expect(cluster.gates.approvals).toEqual({ count: 2, teams: ["acme/eu-oncall"] });
  expect(cluster.gates.windows).toEqual([{ kind: "deny", days: ["fri"], start: "12:00", end: "24:00", timeZone: "UTC" }]);
});

test("a configuration without promotion keys loads as before and resolves to empty defaults", () => {
  const config = configOf('environments: [{ name: dev, paths: ["envs/dev/**"] }]\n');
  expect("promotion" in config).toBe(false);
  expect(promotionConfigOf(config)).toEqual({ components: [], waves: {}, paths: [] });
  expect(promotionSettingsOf(effectiveSettings(config).promotion).gates.noIncident).toBe(true);
});

test("schema problems point at the offending node with their codes", () => {
  const { config, diagnostics } = load(`
promotion:
  components:
    - match: api
      strategy: patch
  waves:
    prod:
      - { name: one, bake: 1 hour }
settings:
  promotion:
    gates: { windows: [{ kind: deny, timeZone: Mars/Base }], approval: { count: 1 } }
`);
  expect(config).toBeUndefined();
  const shown = diagnostics.map((d) => [d.code, d.line]);
  expect(shown).toEqual(
    expect.arrayContaining([
      ["config_schema", 5],
      ["config_invalid_duration", 8],
      ["config_schema", 11],
      ["config_unknown_key", 11],
    ]),
  );
});

test("semantic checks of waves and paths, with paths to the value and positions from loadConfig", () => {
  const text = fixture("fleet.yml")
    .replace("settings:\n  promotion:\n    mode: auto\n", "  paths:\n    - { from: staging, to: prod/nope }\n    - { from: qa, to: prod }\n")
    .replace("      - name: rest\n", "      - name: canary\n        clusters: [prod-eu-1]\n      - name: rest\n        clusters: [dev-1]\n");
  const loaded = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });
  expect(loaded.config).toBeUndefined();
  expect(loaded.diagnostics.map((d) => [d.code, d.line])).toEqual([
    ["config_duplicate_name", 32],
    ["config_unknown_environment", 35],
    ["config_unknown_environment", 38],
    ["config_unknown_environment", 39],
  ]);
  expect(checkPromotionSemantics(configOf(fixture("fleet.yml")))).toEqual([]);
});
