import { fleetwardConfigSchema } from "../../src/config/schema.js";
import { loadConfig } from "../../src/config/load-config.js";
import { matchesLabelMatcher, parseLabelMatcher } from "../../src/rollback/parse-label-matcher.js";
import { checkRollbackRules } from "../../src/config/check-rollback-rules.js";
import { resolveRollbackSettings } from "../../src/rollback/resolve-rollback-settings.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

describe("label matchers", () => {
  const m = (text: string) => {
    const r = parseLabelMatcher(text);
    if (!r.ok) throw new Error(r.error);
    return r.matcher;
  };
  test.each([
    ["sloth_severity=page", { sloth_severity: "page" }, true],
    ["sloth_severity=page", { sloth_severity: "ticket" }, false],
    ["severity!=info", {}, true],
    ["severity!=info", { severity: "info" }, false],
    ['severity=~"critical|page"', { severity: "page" }, true],
    ["severity=~crit", { severity: "critical" }, false],
    ["env!~dev|test", { env: "prod" }, true],
    ["env!~dev|test", { env: "dev" }, false],
    ['team=""', {}, true],
    ["team=~.+", {}, false],
  ])("%s on %j → %s", (text, labels, expected) => {
    expect(matchesLabelMatcher(labels, m(text))).toBe(expected);
  });

  test.each([["nothing"], ["1abc=x"], ["a=~("], ['a="unterminated'], ["a".repeat(600) + "=1"]])("%s is refused with a reason", (text) => {
    const r = parseLabelMatcher(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
  });
});

describe("rollback configuration schema", () => {
  test("rules and settings parse; a config without them is unchanged", () => {
    expect(fleetwardConfigSchema.parse({}).rollback).toBeUndefined();
    const parsed = fleetwardConfigSchema.parse({
      rollback: { rules: [{ match: ["sloth_severity=page"], environment: { label: "env", map: { production: "prod" } } }] },
      settings: { rollback: { groupClusters: false, labels: ["rb"], rollbackCommand: { permission: "maintain", teams: ["acme/sre"] } } },
    });
    expect(parsed.rollback?.rules[0]?.match).toEqual(["sloth_severity=page"]);
    expect(parsed.settings.rollback.groupClusters).toBe(false);
  });

  test.each([
    [{ rollback: { rules: [{ match: ["a=~("], environment: { label: "env" } }] } }, "rollback.rules.0.match.0"],
    [{ rollback: { rules: [{ match: [] }] } }, "rollback.rules.0"],
    [{ rollback: { rules: [{ environment: {} }] } }, "rollback.rules.0.environment"],
    [{ rollback: { rules: [{ environment: { label: "env", optional: true } }] } }, "rollback.rules.0"],
    [{ rollback: { rules: [{ environment: { label: "bad-name" } }] } }, "rollback.rules.0.environment.label"],
    [{ rollback: { rules: [], extra: 1 } }, "rollback"],
    [{ settings: { rollback: { rollbackCommand: { permission: "owner" } } } }, "settings.rollback.rollbackCommand.permission"],
  ])("refused: %j at %s", (doc, path) => {
    const r = fleetwardConfigSchema.safeParse(doc);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path.join("."))).toContain(path);
  });

  test("a bad matcher in the YAML file is a positioned diagnostic", () => {
    const text = "rollback:\n  rules:\n    - match: ['severity=~(']\n      environment: { label: env }\n";
    const { config, diagnostics } = loadConfig({ layers: [{ file: ".github/fleetward.yml", text, source: "repo" }] });
    expect(config).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: "config_schema", line: 3, file: ".github/fleetward.yml" });
    expect(diagnostics[0]?.message).toContain("invalid regex");
  });
});

describe("resolveRollbackSettings", () => {
  test("defaults", () => {
    const { config } = makeRollbackFleet();
    expect(resolveRollbackSettings(config, { environment: "prod" })).toEqual({
      autoMerge: false,
      lookback: "7d",
      lookbackMs: 7 * 86_400_000,
      groupClusters: true,
      labels: ["fleetward:rollback"],
      incidentLabels: ["fleetward:incident"],
      rollbackCommand: { permission: "write", teams: [] },
      unfreezeCommand: { permission: "write", teams: [] },
    });
  });

  test("repository, environment and cluster layers; command access merges key by key", () => {
    const { config } = makeRollbackFleet({
      environments: [
        { name: "dev", paths: ["envs/dev/**"], settings: { rollback: { autoMerge: true } } },
        { name: "prod", paths: ["envs/prod/**"], settings: { rollback: { rollbackCommand: { teams: ["sre"] }, lookback: "2h" } } },
      ],
      clusters: [{ name: "prod-eu-1", environment: "prod", settings: { rollback: { rollbackCommand: { permission: "admin" } } } }],
      settings: { rollback: { incidentLabels: ["sev1", "fleetward:incident"] } },
    });
    expect(resolveRollbackSettings(config, { environment: "dev" })).toMatchObject({ autoMerge: true, incidentLabels: ["fleetward:incident", "sev1"] });
    expect(resolveRollbackSettings(config, { environment: "prod" })).toMatchObject({ autoMerge: false, lookbackMs: 2 * 3600_000 });
    expect(resolveRollbackSettings(config, { cluster: "prod-eu-1" }).rollbackCommand).toEqual({ permission: "admin", teams: ["sre"] });
  });
});

test("/rollback has /promote's permission rule by default: the environment's promoters are its teams; rollbackCommand overrides key by key", () => {
  const { config } = makeRollbackFleet({
    environments: [
      { name: "staging", paths: ["envs/staging/**"], settings: { promotion: { promoters: ["acme/qa"] }, rollback: { rollbackCommand: { teams: ["acme/sre"] } } } },
      { name: "prod", paths: ["envs/prod/**"], settings: { promotion: { promoters: ["acme/prod-deployers"] } } },
    ],
    clusters: [{ name: "prod-eu-1", environment: "prod", settings: { rollback: { rollbackCommand: { permission: "maintain" } } } }],
  });
  expect(resolveRollbackSettings(config, { environment: "prod" }).rollbackCommand).toEqual({ permission: "write", teams: ["acme/prod-deployers"] });
  expect(resolveRollbackSettings(config, { cluster: "prod-eu-1" }).rollbackCommand).toEqual({ permission: "maintain", teams: ["acme/prod-deployers"] });
  expect(resolveRollbackSettings(config, { environment: "staging" }).rollbackCommand).toEqual({ permission: "write", teams: ["acme/sre"] });
  // /unfreeze keeps its own default: write, no team.
  expect(resolveRollbackSettings(config, { environment: "prod" }).unfreezeCommand).toEqual({ permission: "write", teams: [] });
});

describe("checkRollbackRules", () => {
  test("fallbacks and map targets must name environments and clusters", () => {
    const { config } = makeRollbackFleet({
      rollback: {
        rules: [
          { environment: { label: "env", map: { production: "prod", qa: "quality" }, fallback: "prd" } },
          { cluster: { label: "cluster", fallback: "prod-eu-1", map: { eu: "prod-eu-9" } } },
        ],
      },
    });
    expect(checkRollbackRules(config).map((i) => [i.code, i.severity, i.message])).toEqual([
      ["config_unknown_environment", "warning", 'rollback.rules[0].environment.fallback: unknown environment "prd"'],
      ["config_unknown_environment", "warning", 'rollback.rules[0].environment.map.qa: unknown environment "quality"'],
      ["config_unknown_cluster", "warning", 'rollback.rules[1].cluster.map.eu: unknown cluster "prod-eu-9"'],
    ]);
    expect(checkRollbackRules(makeRollbackFleet().config)).toEqual([]);
  });
});
