/**
 * Acceptance of the policy sandbox, black-box: the real Probot HTTP server (`startServer`) against the GitHub
 * simulator's HTTP server. Hostile policy code (a pull request's unit tests, or the base branch's policy on a
 * manifest the pull request controls) ends at the repository's `settings.policy.timeout` with the time-limit
 * message at the test or module, `/healthz` answers within a second throughout, and another pull request's
 * `fleetward/policy` completes meanwhile; a memory bomb ends with the memory message and the next job succeeds.
 */
import { get } from "node:http";
import { freePort } from "../helpers/free-port.js";
import { setHttpAppEnv } from "../helpers/http-app-env.js";
import type { Server } from "probot";
import pino from "pino";
import { fleetwardApp } from "../../src/app/index.js";
import { startServer } from "../../src/app/server.js";
import { closePolicySandbox, policySandbox } from "../../src/sandbox/index.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";
import type { WebhookDelivery } from "../../src/simulator/webhook-dispatcher.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { HOSTILE_TESTS, MEMORY_BOMB } from "../sandbox/hostile-policies.js";

const CONFIG = `environments:
  - name: prod
    paths: ["envs/prod/**"]
settings:
  policy:
    timeout: 5s
`;
// The base branch's policy: cubic in spec.size of the judged manifest (absent: 1). (Not `n`: Kubernetes' YAML, which
// manifests are read with, takes a plain `n` key for the boolean false.)
const BASE_POLICY = `package main

deny contains "spec.size is too large" if {
	n := object.get(input, ["spec", "size"], 1)
	count([x | some a in numbers.range(1, n); some b in numbers.range(1, n); some c in numbers.range(1, n); x := (a + b) + c]) > 1000
}
`;
const PASSING_TESTS = `package main

test_small_passes if {
	count(deny) == 0 with input as {"spec": {"size": 2}}
}
`;
const configMap = (name: string, n?: number) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${n === undefined ? "" : `spec:\n  size: ${n}\n`}`;

describe("the policy sandbox end to end over HTTP", () => {
  let sim: GitHubSimulator;
  let api: RunningServer;
  let server: Server;
  let port: number;
  let restoreEnv: (() => void) | undefined;
  let branch = 0;

  beforeAll(async () => {
    ensureRuntimeBuilt();
    await closePolicySandbox();
    sim = new GitHubSimulator();
    api = await sim.listen();
    const app = sim.createApp({ slug: "fleetward" });
    sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": CONFIG, "policy/deny.rego": BASE_POLICY } });
    // The memory bomb's repository allows 30 s, so that only the memory limit ends it even on a loaded machine.
    sim.createRepo({ owner: "acme", name: "bombs", files: { ".github/fleetward.yml": CONFIG.replace("5s", "30s"), "policy/deny.rego": BASE_POLICY } });
    // Another team's repository, with no policies of its own: its pull requests must not wait for the hostile ones.
    sim.createRepo({ owner: "acme", name: "other", files: { ".github/fleetward.yml": CONFIG } });
    sim.install({ appId: app.id, account: "acme", repos: ["gitops", "bombs", "other"] });
    port = await freePort();
    restoreEnv = setHttpAppEnv(app, api, port, { FLEETWARD_POLICY_MEMORY_MB: "128" });
    server = await startServer(fleetwardApp(), { log: pino({ level: process.env.SANDBOX_E2E_LOG ?? "silent" }) });
    sim.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`);
    // One ordinary pull request first, so that what happens once per process (the app's and the simulator's first
    // requests, the pool's start) is not what the measurements below see.
    sim.commitFiles({ owner: "acme", repo: "other", branch: "warm-up", files: { "envs/prod/warm.yaml": configMap("warm") }, user: "alice" });
    sim.openPullRequest({ owner: "acme", repo: "other", head: "warm-up", title: "warm up", user: "alice" });
    await sim.settle();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await api?.close();
    await closePolicySandbox();
    restoreEnv?.();
  });

  afterEach(async () => {
    sim.webhooks.resume();
    sim.assertNoViolations();
  });

  const run = (sha: string, name: string, repo = "gitops") => sim.checkRunsOf("acme", repo, sha).find((r) => r.name === name);
  const completed = (sha: string, name: string, repo = "gitops") => run(sha, name, repo)?.status === "completed";

  /** A pull request from a new branch, its `opened` delivery held back for the test to send. */
  function openHeld(files: Record<string, string>, repo = "gitops"): { headSha: string; delivery: WebhookDelivery } {
    const head = `pr-${++branch}`;
    sim.webhooks.hold();
    sim.commitFiles({ owner: "acme", repo, branch: head, files, user: "mallory" });
    const pr = sim.openPullRequest({ owner: "acme", repo, head, title: head, user: "mallory" });
    const delivery = sim.webhooks.held().find((d) => d.name === "pull_request" && (d.payload as { pull_request?: { head?: { sha?: string } } }).pull_request?.head?.sha === pr.headSha);
    if (delivery === undefined) throw new Error("no opened delivery");
    return { headSha: pr.headSha, delivery };
  }

  /** Sends a delivery as GitHub would (signed), without waiting in the simulator's single delivery queue. */
  const send = (d: WebhookDelivery) =>
    fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": d.signature256 },
      body: d.body,
    }).then((res) => res.arrayBuffer().then(() => res.status));

  /** GET /healthz on a new connection (no keep-alive socket the server may close meanwhile); the status. */
  const health = () =>
    new Promise<number>((resolve, reject) => {
      get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      }).on("error", reject);
    });

  /** Polls `/healthz` every 100 ms until stopped; the slowest answer. */
  function pollHealth(): { stop: () => Promise<number> } {
    let slowest = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        const t = performance.now();
        expect(await health()).toBe(200);
        slowest = Math.max(slowest, performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return { stop: async () => ((running = false), await loop, slowest) };
  }

  async function until(condition: () => boolean, ms: number): Promise<number> {
    const start = performance.now();
    while (!condition()) {
      if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now();
  }

  /**
   * Sends the hostile pull request's event, and once its hostile check run is in progress the event of a pull request
   * in another repository: its `fleetward/policy` must complete before the hostile run does, with /healthz answering
   * throughout.
   */
  async function hostileBesideBenign(hostile: Record<string, string>, hostileCheck: string) {
    // No worker loading (a limit in the previous test replaced one, which loads meanwhile); with the hostile job on a
    // worker, the benign one starts another (the pool starts a worker when a job waits).
    await until(() => policySandbox().pool.workers > 0 && policySandbox().pool.readyWorkers === policySandbox().pool.workers, 60_000);
    const bad = openHeld(hostile);
    const good = openHeld({ [`envs/prod/ok-${branch}.yaml`]: configMap("ok") }, "other");
    const health = pollHealth();
    const started = performance.now();
    const sent = send(bad.delivery);
    await until(() => run(bad.headSha, hostileCheck)?.status === "in_progress", 60_000);
    const benignSent = send(good.delivery);
    const [benignDone, hostileDone] = await Promise.all([
      until(() => completed(good.headSha, "fleetward/policy", "other"), 60_000),
      until(() => completed(bad.headSha, hostileCheck), 60_000),
    ]);
    expect(await sent).toBeLessThan(300);
    expect(await benignSent).toBeLessThan(300);
    const slowest = await health.stop();
    return { bad, good, slowest, benignFirst: benignDone < hostileDone, hostileMs: hostileDone - started };
  }

  test("a pull request's hostile unit tests end at the time limit at the test, while another pull request is checked and /healthz answers", async () => {
    const r = await hostileBesideBenign({ "policy/deny_test.rego": HOSTILE_TESTS }, "fleetward/policy-tests");
    const tests = run(r.bad.headSha, "fleetward/policy-tests")!;
    expect(tests.conclusion).toBe("failure");
    expect(tests.output.title).toContain("exceeded the time limit (5 s)");
    expect(tests.output.summary).toContain("at `policy/deny_test.rego:7` (test data.main.test_cubic)");
    expect(tests.annotations).toEqual([expect.objectContaining({ path: "policy/deny_test.rego", start_line: 7, annotation_level: "failure" })]);
    expect(r.hostileMs).toBeLessThan(60_000);
    expect(r.slowest).toBeLessThan(1000);
    expect(r.benignFirst).toBe(true);
    expect(run(r.good.headSha, "fleetward/policy", "other")!.conclusion).toBe("success");
  }, 120_000);

  test("the base branch's hostile policy on a manifest the pull request controls ends at the time limit, while another pull request is checked", async () => {
    const r = await hostileBesideBenign({ [`envs/prod/big-${branch}.yaml`]: configMap("big", 3000) }, "fleetward/policy");
    const check = run(r.bad.headSha, "fleetward/policy")!;
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toContain("exceeded the time limit (5 s)");
    expect(check.output.summary).toContain("at `policy/deny.rego:1` (the Conftest modules under policy/ on 1 file)");
    expect(r.hostileMs).toBeLessThan(60_000);
    expect(r.slowest).toBeLessThan(1000);
    expect(r.benignFirst).toBe(true);
    expect(run(r.good.headSha, "fleetward/policy", "other")!.conclusion).toBe("success");
  }, 120_000);

  test("a memory bomb ends with the memory limit at the test; the replaced worker runs the next pull request's tests", async () => {
    const bomb = openHeld({ "policy/bomb_test.rego": MEMORY_BOMB }, "bombs");
    expect(await send(bomb.delivery)).toBeLessThan(300);
    await until(() => completed(bomb.headSha, "fleetward/policy-tests", "bombs"), 90_000);
    const tests = run(bomb.headSha, "fleetward/policy-tests", "bombs")!;
    expect(tests.conclusion).toBe("failure");
    expect(tests.output.title).toContain("exceeded the memory limit (128 MiB)");
    expect(tests.output.summary).toContain("at `policy/bomb_test.rego:3` (test data.main.test_bomb)");

    const next = openHeld({ "policy/small_test.rego": PASSING_TESTS }, "bombs");
    expect(await send(next.delivery)).toBeLessThan(300);
    await until(() => completed(next.headSha, "fleetward/policy-tests", "bombs"), 90_000);
    expect(run(next.headSha, "fleetward/policy-tests", "bombs")!.conclusion).toBe("success");
  }, 200_000);
});
