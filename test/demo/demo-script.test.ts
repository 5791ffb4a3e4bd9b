/**
 * `npm run demo`: the built demo (`dist/src/demo/main.js`) as a child process, as a user runs it. `--script` plays
 * the whole story against the real app and the simulated GitHub and must exit 0 with every step's progress line and
 * a run time it prints; a story whose policy-violation PR asks for an allowed number of replicas must stop at that
 * step with exit 1; without `--script`, Ctrl-C stops it gracefully with exit 0.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawnNode, type Spawned } from "../helpers/spawned-process.js";

const ROOT = process.cwd();
const MAIN = join(ROOT, "dist", "src", "demo", "main.js");
/** The issue's bound for the whole scripted run; the test waits a little longer to report a slow run rather than hang. */
const RUN_BOUND_S = 120;

beforeAll(() => {
  if (!existsSync(MAIN)) execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
}, 600_000);

const running: Spawned[] = [];
afterAll(() => running.forEach((p) => p.stop()));

function demo(args: string[]): Spawned {
  const proc = spawnNode([MAIN, ...args], { cwd: ROOT, env: { ...process.env } });
  running.push(proc);
  return proc;
}

/** The exit code, or a failure carrying the output when the process outlives `ms`. */
async function exitWithin(proc: Spawned, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the demo still ran after ${ms / 1000} s:\n${proc.output()}`)), ms);
  });
  try {
    return await Promise.race([proc.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

test("--script plays the whole story and exits 0 within the bound it prints", async () => {
  const proc = demo(["--script"]);
  const code = await exitWithin(proc, (RUN_BOUND_S + 30) * 1000);
  const out = proc.output();
  if (code !== 0) throw new Error(`exit ${code}:\n${out}`);
  const expected = [
    /^\[ *[\d.]+s\] started: Fleetward at http:\/\/127\.0\.0\.1:\d+, GitHub simulator at http:\/\/127\.0\.0\.1:\d+\/api\/v3/m,
    /^\[ *[\d.]+s\] 1\. a pull request that breaks the policy: #1 "podinfo 6\.5\.0 in dev" by alice → fleetward\/policy failure/m,
    /^ +envs\/dev\/podinfo\/kustomization\.yaml:9: .*Deployment podinfo asks for 20 replicas; at most 10 are allowed$/m,
    /^\[ *[\d.]+s\] 2\. the fix: commit [0-9a-f]{7} \(4 replicas\) → fleetward\/policy success/m,
    /^\[ *[\d.]+s\] 3\. merge → promotion into staging: #\d+ opened, gates passed, merged by Fleetward/m,
    /^ +#\d+ Promote podinfo from dev to staging \(#1\)$/m,
    /^\[ *[\d.]+s\] 4\. promotion into prod, wave canary \(prod-eu-1\): #\d+ opened; its gates wait for 1 approval/m,
    /^\[ *[\d.]+s\] 5\. approve and merge the canary wave: carol approved, gates passed, merged; prod-eu-1 bakes for 10m/m,
    /^\[ *[\d.]+s\] 6\. bake, then the next wave \(prod-us-1\): no wave after 5m; after 11m on the simulator's clock #\d+ opened/m,
    /^\[ *[\d.]+s\] 7\. approve and merge the last wave: #\d+ merged: podinfo 6\.5\.0 in dev, staging, prod-eu-1 and prod-us-1/m,
    /^\[ *[\d.]+s\] 8\. an SLO alert fires in prod-us-1: revert pull request #\d+ \(prod-us-1 back to 6\.4\.0\), incident #\d+, promotions into prod-us-1 frozen/m,
    /^ +#\d+ Roll back podinfo in prod-us-1: PodinfoHighErrorRate$/m,
    /^\[ *[\d.]+s\] 9\. the alert resolves: incident #\d+ closed, freeze lifted/m,
    /^\[ *[\d.]+s\] 10\. the status page: alice signed in through the simulated GitHub's OAuth; \/fleet shows acme\/fleet, podinfo/m,
    /^\[ *[\d.]+s\] 11\. GitHub's API description: \d+ API calls by Fleetward, every one valid/m,
    /^Where to look/m,
    /^ +#\d+ \[pull request, open\] Roll back podinfo in prod-us-1: PodinfoHighErrorRate \(by fleetward\[bot\]; fleetward:rollback\)$/m,
    /^ +#\d+ \[issue, closed\] Incident in prod-us-1: PodinfoHighErrorRate/m,
    /^ +status page: +http:\/\/127\.0\.0\.1:\d+\/fleet/m,
  ];
  for (const line of expected) expect(out).toMatch(line);
  const total = /^demo story passed: 11 steps in ([\d.]+)s$/m.exec(out);
  expect(total).not.toBeNull();
  expect(Number(total![1])).toBeLessThan(RUN_BOUND_S);
}, (RUN_BOUND_S + 60) * 1000);

test("a step whose outcome does not happen fails the run with exit 1, naming the step", async () => {
  // 5 replicas are allowed, so the "violating" pull request passes the policy the story expects it to break.
  const proc = demo(["--script", "--replicas", "5"]);
  const code = await exitWithin(proc, RUN_BOUND_S * 1000);
  const out = proc.output();
  expect(code).toBe(1);
  expect(out).toMatch(/^demo FAILED at step "a pull request that breaks the policy": fleetward\/policy concluded success on #1 \(5 replicas\), expected failure/m);
  expect(out).not.toMatch(/demo story passed/);
  expect(out).not.toMatch(/^\[ *[\d.]+s\] 2\. /m);
}, (RUN_BOUND_S + 30) * 1000);

test("without --script, Ctrl-C (SIGINT) stops the app and the simulator gracefully with exit 0", async () => {
  const proc = demo([]);
  const deadline = Date.now() + 60_000;
  while (!/started: Fleetward at/.test(proc.output())) {
    if (proc.child.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.child.kill("SIGINT");
  expect(await exitWithin(proc, 30_000)).toBe(0);
  expect(proc.output()).toMatch(/stopping \(Ctrl-C\)/);
}, 120_000);

test("a bad flag: exit 2 with the usage", async () => {
  const proc = demo(["--replicas", "many"]);
  expect(await exitWithin(proc, 30_000)).toBe(2);
  expect(proc.output()).toMatch(/^demo: --replicas needs an integer of at least 0, got many\nusage: npm run demo/m);
});
