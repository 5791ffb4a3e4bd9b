/**
 * Builtins with effects through the sandbox's real worker threads: a pull request's policy calling `http.send` is
 * refused at its file:line by both jobs (`fleetward/policy`, `fleetward/policy-tests`), and the workers read the
 * server's setting (FLEETWARD_POLICY_ALLOW_EFFECTS, FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS) from the environment they
 * inherit when they start. The worker is the build's (dist/), as in production.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { policiesSectionSchema } from "../../src/config/policy-schema.js";
import { fleetwardConfigSchema } from "../../src/config/schema.js";
import type { CheckRunPlan } from "../../src/checks/check-run-plan.js";
import type { PolicyCheckJob, PolicyTestsJob, SandboxJob } from "../../src/sandbox/sandbox-jobs.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

type Settings = Partial<Record<"FLEETWARD_POLICY_ALLOW_EFFECTS" | "FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS", string>>;

/**
 * Runs `job` in a real sandbox pool inside a separate Node process started with the server environment `env` (as the
 * app's server is): jest gives a test a copy of `process.env`, which worker threads do not inherit, so the pool runs
 * where the variables are real. Maps cross as `{ __map: entries }`.
 */
function runInServer(env: Settings, job: SandboxJob): CheckRunPlan {
  const script = `
    import { SandboxPool } from ${JSON.stringify(pathToFileURL(join(process.cwd(), "dist/src/sandbox/sandbox-pool.js")).href)};
    const job = JSON.parse(process.argv[2], (_, v) => v !== null && typeof v === "object" && Object.hasOwn(v, "__map") ? new Map(v.__map) : v);
    const pool = new SandboxPool({ workers: 1, memoryMb: 256 });
    const outcome = await pool.run(job, 60000);
    await pool.close();
    process.stdout.write(JSON.stringify(outcome));`;
  const text = JSON.stringify(job, (_, v: unknown) => (v instanceof Map ? { __map: [...v.entries()] } : v));
  const base = { ...process.env };
  delete base.FLEETWARD_POLICY_ALLOW_EFFECTS;
  delete base.FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS;
  const dir = mkdtempSync(join(tmpdir(), "fleetward-effects-"));
  const file = join(dir, "run-job.mjs");
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [file, text], { env: { ...base, ...env }, encoding: "utf8", timeout: 90_000 });
  rmSync(dir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`sandbox process failed (${String(child.status)}):\n${child.stderr}`);
  const outcome = JSON.parse(child.stdout) as { ok: boolean; value?: { kind: string; plan: CheckRunPlan } };
  if (!outcome.ok || outcome.value?.kind !== "planned") throw new Error(`sandbox job not planned: ${child.stdout}`);
  return outcome.value.plan;
}

const HEAD = "h".repeat(40);
const CALLER = [
  "package main",
  "",
  "deny contains msg if {",
  '\tresp := http.send({"method": "GET", "url": "https://scanner.example.com/scan"})',
  "\tresp.status_code != 200",
  '\tmsg := "scanner says no"',
  "}",
  "",
].join("\n");

const checkJob = (): PolicyCheckJob => ({
  kind: "policy-check",
  key: `effects-${Math.random()}`,
  config: fleetwardConfigSchema.parse({}),
  headSha: HEAD,
  policyFiles: new Map([["policy/main.rego", CALLER]]),
  bundles: new Map(),
  library: [],
  changedFiles: [{ path: "deploy/pod.yaml", content: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n" }],
  repositoryRead: true,
  repositoryFiles: [],
  repositoryProblems: [],
});

const testsJob = (): PolicyTestsJob => ({
  kind: "policy-tests",
  policies: policiesSectionSchema.parse({}),
  headSha: HEAD,
  files: new Map([
    ["policy/main.rego", 'package main\n\nallow if opa.runtime() == {}\n'],
    ["policy/main_test.rego", "package main_test\n\ntest_allow if data.main.allow\n"],
  ]),
});

/** Where the plan says policy_effect_refused: its annotations and its summary's problem table (`file:line`). */
function refusedAt(plan: CheckRunPlan): string[] {
  const annotated = plan.annotations.filter((a) => /policy_effect_refused|is refused/.test(`${a.title ?? ""} ${a.message}`)).map((a) => `${a.path}:${a.startLine}`);
  const listed = [...plan.summary.matchAll(/^\| `([^`]+:\d+)` \| policy_effect_refused \|/gm)].map((m) => m[1] ?? "");
  return [...new Set([...annotated, ...listed])];
}

describe("builtins with effects in the sandbox (worker threads of a server process)", () => {
  test("refused by default: fleetward/policy reports the http.send call at policy/main.rego:4", () => {
    const plan = runInServer({}, checkJob());
    expect(plan.conclusion).toBe("failure");
    expect(refusedAt(plan)).toEqual(["policy/main.rego:4"]);
    expect(plan.summary).toContain("http.send is refused");
  }, 120_000);

  test("the workers see the server's allowed hosts: a literal URL on one is not refused", () => {
    expect(refusedAt(runInServer({ FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS: "scanner.example.com" }, checkJob()))).toEqual([]);
    expect(refusedAt(runInServer({ FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS: "other.example.com" }, checkJob()))).toEqual(["policy/main.rego:4"]);
  }, 180_000);

  test("fleetward/policy-tests: refused by default, run when the server allows effects", () => {
    const refused = runInServer({}, testsJob());
    expect(refused.conclusion).toBe("failure");
    expect(refusedAt(refused)).toEqual(["policy/main.rego:3"]);
    const allowed = runInServer({ FLEETWARD_POLICY_ALLOW_EFFECTS: "true" }, testsJob());
    expect(refusedAt(allowed)).toEqual([]);
    expect(allowed.conclusion).toBe("success");
  }, 180_000);
});
