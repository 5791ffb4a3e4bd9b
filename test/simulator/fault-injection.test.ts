/**
 * Seeded 502s in the simulator (src/simulator/fault-injection.ts): a fault before the operation applies nothing, a
 * fault after it applies the write (and its webhook) yet answers 502; decisions depend on the seed and the request,
 * not on how clients interleave; the share is about the rate asked for; every fault is logged.
 */
import { FaultInjector, FaultOptionsError, type FaultRequest } from "../../src/simulator/fault-injection.js";
import { GitHubSimulator } from "../../src/simulator/github-simulator.js";

function world() {
  const sim = new GitHubSimulator();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "fleet", files: { "README.md": "# fleet\n" } });
  const inst = sim.install({ appId: app.id, account: "acme" });
  const headers = { authorization: `token ${sim.issueToken(inst).token}`, accept: "application/vnd.github+json" };
  const createIssue = (title: string) => sim.handle({ method: "POST", url: "/repos/acme/fleet/issues", headers, body: JSON.stringify({ title }) });
  const getRepo = () => sim.handle({ method: "GET", url: "/repos/acme/fleet", headers });
  const titles = () => sim.issues("acme", "fleet").map((i) => i.title);
  return { sim, createIssue, getRepo, titles };
}

const requests = (n: number): FaultRequest[] =>
  Array.from({ length: n }, (_, i) => ({ method: i % 3 === 0 ? "POST" : "GET", operationId: "x/y", path: `/repos/acme/r${i % 7}/issues/${i % 11}` }));

test("before: nothing applied, 502 answered, logged with the route", async () => {
  const { sim, createIssue, titles } = world();
  sim.injectFaults({ seed: 1, rate: 1, afterShare: 0 });
  const res = await createIssue("lost");
  expect(res.status).toBe(502);
  expect(JSON.parse(res.body)).toMatchObject({ message: "Server Error", status: "502" });
  expect(titles()).toEqual([]);
  expect(sim.webhooks.deliveries().filter((d) => d.name === "issues")).toEqual([]);
  sim.assertNoViolations();
});

test("after: the write is applied and its webhook emitted, yet 502 is answered; the log has the operation's status", async () => {
  const { sim, createIssue, titles } = world();
  const faults = sim.injectFaults({ seed: 1, rate: 1, afterShare: 1 })!;
  const res = await createIssue("applied");
  expect(res.status).toBe(502);
  expect(titles()).toEqual(["applied"]);
  expect(sim.webhooks.deliveries().filter((d) => d.name === "issues").map((d) => (d.payload as { action: string }).action)).toEqual(["opened"]);
  expect(faults.log).toEqual([expect.objectContaining({ seq: 1, method: "POST", operationId: "issues/create", path: "/repos/acme/fleet/issues", when: "after", status: 502, operationStatus: 201 })]);
  expect(sim.requestLog.at(-1)).toMatchObject({ method: "POST", operationId: "issues/create", status: 502 });
  await sim.settle();
});

test("10 %: about one request in ten fails, both kinds happen, and what was applied is exactly the successes plus the after-faults", async () => {
  const { sim, createIssue, titles } = world();
  const faults = sim.injectFaults({ seed: "replicas", rate: 0.1 })!;
  const answers = [];
  for (let i = 0; i < 300; i++) answers.push((await createIssue(`i${i}`)).status);
  const failed = answers.filter((s) => s === 502).length;
  expect(failed).toBe(faults.log.length);
  expect(failed).toBeGreaterThanOrEqual(15);
  expect(failed).toBeLessThanOrEqual(45);
  const before = faults.log.filter((f) => f.when === "before").length;
  const after = faults.log.filter((f) => f.when === "after").length;
  expect(before).toBeGreaterThan(0);
  expect(after).toBeGreaterThan(0);
  expect(titles()).toHaveLength(300 - before);
  expect(faults.describe().split("\n")).toHaveLength(failed);
  await sim.settle();
});

test("the decisions depend on the seed and the requests, not on their interleaving", () => {
  const seq = requests(500);
  const decide = (seed: string, list: FaultRequest[]) => {
    const inj = new FaultInjector({ seed, rate: 0.2 });
    return new Map(list.map((r, i) => [`${r.method} ${r.path} ${i}`, inj.decide(r)]));
  };
  const a = [...decide("s", seq).values()];
  expect([...decide("s", seq).values()]).toEqual(a);
  expect([...decide("t", seq).values()]).not.toEqual(a);
  // Interleaving: the n-th occurrence of each request gets the same decision when other requests come in between.
  const perKey = (list: FaultRequest[]) => {
    const inj = new FaultInjector({ seed: "s", rate: 0.2 });
    const out = new Map<string, Array<string | null>>();
    for (const r of list) {
      const key = `${r.method} ${r.path}`;
      out.set(key, [...(out.get(key) ?? []), inj.decide(r)]);
    }
    return out;
  };
  const shuffled = [...seq].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  expect(perKey(shuffled)).toEqual(perKey(seq));
  expect(a.filter((d) => d !== null).length).toBeGreaterThan(60);
});

test("only eligible requests fail; paused, nothing fails; null stops it", async () => {
  const { sim, createIssue, getRepo } = world();
  const faults = sim.injectFaults({ seed: 2, rate: 1, eligible: (r) => r.method !== "GET" })!;
  expect((await getRepo()).status).toBe(200);
  expect((await createIssue("a")).status).toBe(502);
  faults.pause();
  expect((await createIssue("b")).status).toBe(201);
  faults.resume();
  expect((await createIssue("c")).status).toBe(502);
  sim.injectFaults(null);
  expect((await createIssue("d")).status).toBe(201);
  expect(faults.log.map((f) => f.operationId)).toEqual(["issues/create", "issues/create"]);
  await sim.settle();
});

test("bad options: a clear error with a stable code", () => {
  expect(() => new FaultInjector({ seed: 1, rate: 1.5 })).toThrow(FaultOptionsError);
  expect(() => new FaultInjector({ seed: 1, rate: 0.1, afterShare: -1 })).toThrow(/afterShare must be a number from 0 to 1/);
  expect(() => new FaultInjector({ seed: 1, rate: 0.1, status: 404 })).toThrow(/status must be a 5xx status/);
  try {
    new FaultInjector({ seed: 1, rate: Number.NaN });
  } catch (e) {
    expect((e as FaultOptionsError).code).toBe("sim_fault_options");
  }
  expect.assertions(4);
});
