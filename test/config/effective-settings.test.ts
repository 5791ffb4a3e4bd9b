import { readFileSync } from "node:fs";
import { join } from "node:path";
import { effectiveSettings } from "../../src/config/effective-settings.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";

const fixture = (name: string) => readFileSync(join(process.cwd(), "test", "fixtures", "config", name), "utf8");

function load(orgText: string, repoText: string): FleetwardConfig {
  const { config, diagnostics } = loadConfig({
    layers: [
      { source: "org", file: "org.yml", text: orgText },
      { source: "repo", file: "repo.yml", text: repoText },
    ],
  });
  expect(diagnostics).toEqual([]);
  if (!config) throw new Error("config expected");
  return config;
}

describe("effectiveSettings: defaults → org → repo → environment → cluster", () => {
  const config = load(
    fixture("org-defaults.yml"),
    [
      "environments:",
      "  - name: dev",
      "    paths: [envs/dev/**]",
      "  - name: prod",
      "    paths: [envs/prod/**]",
      "    promotedFrom: dev",
      "    settings:",
      "      policy: { enforcement: deny }",
      "      rollback: { lookback: 30d }",
      "clusters:",
      "  - name: prod-eu-1",
      "    environment: prod",
      "    paths: [clusters/prod-eu-1/**]",
      "    settings:",
      "      rollback: { autoMerge: true }",
      "      promotion: { soakTime: 4h }",
      "  - name: prod-us-1",
      "    environment: prod",
      "settings:",
      "  promotion: { mode: auto }",
      "",
    ].join("\n"),
  );

  test("repository level: built-in defaults under org under repo", () => {
    expect(effectiveSettings(config)).toEqual({
      policy: { enforcement: "warn", timeout: "30s" }, // org
      promotion: { mode: "auto", soakTime: "2h" }, // repo, org
      rollback: { autoMerge: false, lookback: "14d" }, // default, org
    });
  });

  test("an environment without overrides inherits the repository settings", () => {
    expect(effectiveSettings(config, { environment: "dev" })).toEqual(effectiveSettings(config));
  });

  test("environment overrides win over repo and org", () => {
    expect(effectiveSettings(config, { environment: "prod" })).toEqual({
      policy: { enforcement: "deny", timeout: "30s" },
      promotion: { mode: "auto", soakTime: "2h" },
      rollback: { autoMerge: false, lookback: "30d" },
    });
  });

  test("cluster overrides win over the environment", () => {
    const expected = {
      policy: { enforcement: "deny", timeout: "30s" },
      promotion: { mode: "auto", soakTime: "4h" },
      rollback: { autoMerge: true, lookback: "30d" },
    };
    expect(effectiveSettings(config, { environment: "prod", cluster: "prod-eu-1" })).toEqual(expected);
    expect(effectiveSettings(config, { cluster: "prod-eu-1" })).toEqual(expected);
  });

  test("a cluster without overrides gets its environment's settings", () => {
    expect(effectiveSettings(config, { cluster: "prod-us-1" })).toEqual(effectiveSettings(config, { environment: "prod" }));
  });

  test("results are copies: mutating one does not leak into the config", () => {
    const s = effectiveSettings(config, { cluster: "prod-eu-1" });
    s.rollback.lookback = "1s";
    expect(effectiveSettings(config, { cluster: "prod-eu-1" }).rollback.lookback).toBe("30d");
    expect(config.settings.rollback.lookback).toBe("14d");
  });

  test("unknown names and mismatched scopes are programming errors", () => {
    expect(() => effectiveSettings(config, { environment: "qa" })).toThrow(new RangeError('unknown environment "qa"'));
    expect(() => effectiveSettings(config, { cluster: "nope" })).toThrow(new RangeError('unknown cluster "nope"'));
    expect(() => effectiveSettings(config, { environment: "dev", cluster: "prod-eu-1" })).toThrow(
      new RangeError('cluster "prod-eu-1" belongs to environment "prod", not "dev"'),
    );
  });
});

test("with no org layer, built-in defaults fill what the repo leaves out", () => {
  const config = load("", "environments: [{ name: dev, paths: [d/**], settings: { rollback: { autoMerge: true } } }]\n");
  expect(effectiveSettings(config, { environment: "dev" })).toEqual({
    policy: { enforcement: "deny", timeout: "30s" },
    promotion: { mode: "manual", soakTime: "0s" },
    rollback: { autoMerge: true, lookback: "7d" },
  });
});
