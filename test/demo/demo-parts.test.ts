/**
 * The demo's parts without starting anything: its sample fleet passes the config schema, its alert is a valid
 * Alertmanager notification that the fleet's rule maps to podinfo in prod-us-1, the flags, the progress lines and
 * the bounded waits of the step runner, and the body summaries of "where to look".
 */
import { loadConfig } from "../../src/config/load-config.js";
import { buildFleet } from "../../src/fleet/build-fleet.js";
import { parseAlertmanagerWebhook } from "../../src/rollback/alerts/parse-alertmanager-webhook.js";
import { mapAlertGroup } from "../../src/rollback/map-alert-group.js";
import { alertmanagerBody } from "../../src/demo/alerts.js";
import { readFleetFiles } from "../../src/demo/fleet-files.js";
import { parseDemoArgs } from "../../src/demo/main.js";
import { StepFailed, StoryRunner } from "../../src/demo/story-runner.js";
import { bodyHead } from "../../src/demo/where-to-look.js";

const files = readFleetFiles();

test("the sample fleet: the config loads without a diagnostic; base, overlays, policy and config are all there", () => {
  const { config, diagnostics } = loadConfig({ layers: [{ file: ".github/fleetward.yml", text: files[".github/fleetward.yml"]!, source: "repo" }] });
  expect(diagnostics).toEqual([]);
  expect(config?.environments.map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
  expect(config?.clusters.map((c) => c.name)).toEqual(["prod-eu-1", "prod-us-1"]);
  expect(Object.keys(files).sort()).toEqual([
    ".github/fleetward.yml",
    "README.md",
    "base/podinfo/deployment.yaml",
    "base/podinfo/kustomization.yaml",
    "base/podinfo/service.yaml",
    "clusters/prod-eu-1/podinfo/kustomization.yaml",
    "clusters/prod-us-1/podinfo/kustomization.yaml",
    "envs/dev/podinfo/kustomization.yaml",
    "envs/staging/podinfo/kustomization.yaml",
    "policies/replica-limit/constraint.yaml",
    "policies/replica-limit/template.yaml",
  ]);
});

test("the demo's alert is a valid Alertmanager notification; the fleet's rule maps it to podinfo in prod-us-1; resolved when it has an end", () => {
  const { config } = loadConfig({ layers: [{ file: ".github/fleetward.yml", text: files[".github/fleetward.yml"]!, source: "repo" }] });
  const startsAt = new Date("2026-12-07T22:00:00Z");
  const firing = parseAlertmanagerWebhook(alertmanagerBody({ cluster: "prod-us-1", app: "podinfo", startsAt }));
  if (!firing.ok) throw new Error(firing.errors.join("\n"));
  expect(firing.group.status).toBe("firing");
  const mapping = mapAlertGroup(config!, buildFleet(config!), firing.group);
  expect(mapping.targets).toEqual([expect.objectContaining({ environment: "prod", cluster: "prod-us-1", component: "podinfo" })]);
  const resolved = parseAlertmanagerWebhook(alertmanagerBody({ cluster: "prod-us-1", app: "podinfo", startsAt, endsAt: new Date("2026-12-07T22:05:00Z") }));
  if (!resolved.ok) throw new Error(resolved.errors.join("\n"));
  expect(resolved.group.status).toBe("resolved");
  // The same alert firing and resolved: one fingerprint, so the app closes what it opened.
  expect(resolved.group.alerts[0]!.fingerprint).toBe(firing.group.alerts[0]!.fingerprint);
});

describe("flags", () => {
  test("defaults and each flag", () => {
    expect(parseDemoArgs([])).toEqual({ script: false, stepTimeoutMs: 45_000, replicas: 20 });
    expect(parseDemoArgs(["--script", "--step-timeout", "10", "--replicas", "5", "--port", "4000"])).toEqual({ script: true, stepTimeoutMs: 10_000, replicas: 5, port: 4000 });
  });
  test("a bad or unknown flag is a message naming it", () => {
    expect(() => parseDemoArgs(["--replicas"])).toThrow("--replicas needs an integer of at least 0, got nothing");
    expect(() => parseDemoArgs(["--step-timeout", "0"])).toThrow("--step-timeout needs an integer of at least 1, got 0");
    expect(() => parseDemoArgs(["--fast"])).toThrow("unknown flag --fast");
  });
});

describe("StoryRunner", () => {
  test("a step prints its numbered line with the time, then its details; waitFor returns the first defined value", async () => {
    const lines: string[] = [];
    const runner = new StoryRunner({ out: (l) => lines.push(l), stepTimeoutMs: 5000 });
    let calls = 0;
    await runner.step("counting", async (ctx) => {
      const n = await ctx.waitFor("three calls", () => (++calls >= 3 ? calls : undefined));
      ctx.detail(`after ${n} calls`);
      return "done";
    });
    expect(calls).toBe(3);
    expect(lines).toEqual([expect.stringMatching(/^\[ +\d+\.\ds\] 1\. counting: done \(\d+\.\ds\)$/), "           after 3 calls"]);
    expect(runner.steps).toBe(1);
  });

  test("a wait longer than the step's time, and a failed expectation, fail the step by name and print nothing", async () => {
    const lines: string[] = [];
    const runner = new StoryRunner({ out: (l) => lines.push(l), stepTimeoutMs: 300 });
    const started = Date.now();
    const never = runner.step("waiting", async (ctx) => ctx.waitFor<string>("something that never comes", () => undefined));
    await expect(never).rejects.toThrow(new StepFailed("waiting", "waited 0.3s for something that never comes; it did not happen"));
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(runner.step("checking", async (ctx) => (ctx.expect(1 > 2, "one is not more than two"), "no"))).rejects.toThrow('step "checking": one is not more than two');
    expect(lines).toEqual([]);
  });
});

test("bodyHead: the first lines with text, without metadata comments or table rules, cut at the width", () => {
  const body = "<!-- fleetward:promotion {\"a\":1} -->\n\nPromotes **podinfo**.\n\n| a | b |\n| --- | --- |\n" + "x".repeat(200);
  expect(bodyHead(body, 3, 25)).toEqual(["Promotes **podinfo**.", "| a | b |", `${"x".repeat(24)}…`]);
  expect(bodyHead(null)).toEqual([]);
});
