/**
 * Creates that never duplicate (create-once.ts): the retry rule as a pure function over fakes, then each create of
 * src/app/github/ against the simulator with a 502 forced on exactly that operation, after GitHub applied it (the
 * write is looked up and adopted) or before (the write is sent again), through a client whose octokit retry plugin
 * is ON, as the app's is: only `NO_RETRY` keeps it from sending the POST twice.
 */
import { ProbotOctokit } from "probot";
import { backoffMs, createOnce, isUncertainFailure } from "../../../src/app/github/create-once.js";
import { createComment } from "../../../src/app/github/comments.js";
import { createIssue } from "../../../src/app/github/issues.js";
import { createPullRequest, isPullRequestExists } from "../../../src/app/github/pull-requests.js";
import { startCheckRun } from "../../../src/app/github/publish-check-run.js";
import type { GitHubSimulator } from "../../../src/simulator/github-simulator.js";
import { installAppClient } from "../../helpers/install-app-client.js";
import { useGitHubSimulator } from "../../helpers/use-github-simulator.js";

const httpError = (status: number, message = "Server Error") => Object.assign(new Error(message), { status });

describe("createOnce", () => {
  function steps(createResults: Array<string | Error>, lookups: Array<string | null>) {
    const trace: string[] = [];
    return {
      trace,
      create: () => {
        trace.push("create");
        const next = createResults.shift();
        return next instanceof Error || next === undefined ? Promise.reject(next ?? new Error("no more creates")) : Promise.resolve(next);
      },
      findExisting: () => {
        trace.push("lookup");
        return Promise.resolve(lookups.shift() ?? null);
      },
      sleep: (ms: number) => {
        trace.push(`sleep ${ms}`);
        return Promise.resolve();
      },
    };
  }

  test("uncertain failures: 5xx, 408 and no status; a 4xx is definite", () => {
    expect([502, 500, 503, 408].map((s) => isUncertainFailure(httpError(s)))).toEqual([true, true, true, true]);
    expect(isUncertainFailure(new Error("socket hang up"))).toBe(true);
    expect([400, 403, 404, 422].map((s) => isUncertainFailure(httpError(s)))).toEqual([false, false, false, false]);
    expect([1, 2, 3].map((a) => backoffMs(a))).toEqual([250, 1000, 2250]);
  });

  test("the happy path is one create and no lookup", async () => {
    const s = steps(["made"], []);
    await expect(createOnce(s)).resolves.toBe("made");
    expect(s.trace).toEqual(["create"]);
  });

  test("a write that landed despite the failure is adopted, not sent again", async () => {
    const s = steps([httpError(502)], ["landed"]);
    await expect(createOnce(s)).resolves.toBe("landed");
    expect(s.trace).toEqual(["create", "sleep 250", "lookup"]);
  });

  test("a write that did not land is sent again, with a lookup before each retry, 3 creates at most", async () => {
    const s = steps([httpError(502), new Error("ECONNRESET"), "made"], []);
    await expect(createOnce(s)).resolves.toBe("made");
    expect(s.trace).toEqual(["create", "sleep 250", "lookup", "create", "sleep 1000", "lookup", "create"]);

    const failing = steps([httpError(502), httpError(503), httpError(504, "last")], []);
    await expect(createOnce(failing)).rejects.toThrow("last");
    expect(failing.trace.filter((t) => t === "create")).toHaveLength(3);
    expect(failing.trace.at(-1)).toBe("lookup");
  });

  test("a definite refusal is thrown at once; a conflict adopts what exists, or is thrown", async () => {
    const refused = steps([httpError(422, "Validation Failed")], ["unused"]);
    await expect(createOnce(refused)).rejects.toThrow("Validation Failed");
    expect(refused.trace).toEqual(["create"]);

    // A conflict on the first attempt is someone else's: thrown for the caller to handle.
    const isConflict = (e: unknown) => e instanceof Error && e.message.includes("exists");
    const foreign = steps([httpError(422, "already exists")], ["existing"]);
    await expect(createOnce({ ...foreign, isConflict })).rejects.toThrow("already exists");
    expect(foreign.trace).toEqual(["create"]);

    // On a retry it may be our first attempt's (the lookup missed it): adopted.
    const adopted = steps([httpError(502), httpError(422, "already exists")], [null, "existing"]);
    await expect(createOnce({ ...adopted, isConflict })).resolves.toBe("existing");
    expect(adopted.trace).toEqual(["create", "sleep 250", "lookup", "create", "lookup"]);

    const vanished = steps([httpError(502), httpError(422, "already exists")], [null, null]);
    await expect(createOnce({ ...vanished, isConflict })).rejects.toThrow("already exists");
    expect(vanished.trace).toEqual(["create", "sleep 250", "lookup", "create", "lookup"]);
  });

  test("a lookup that fails is thrown (no write rather than a duplicate)", async () => {
    const s = steps([httpError(502)], []);
    await expect(createOnce({ ...s, findExisting: () => Promise.reject(new Error("lookup down")) })).rejects.toThrow("lookup down");
  });
});

describe("creates against the simulator with a 502 on exactly that operation", () => {
  const ctx = useGitHubSimulator();
  const where = { owner: "acme", repo: "gitops" };
  /** Retries ON (the app's default), throttling off. */
  const RetryingOctokit = ProbotOctokit.defaults((o: ConstructorParameters<typeof ProbotOctokit>[0]) => ({ ...o, throttle: { enabled: false } }));

  function setup(sim: GitHubSimulator) {
    const { app } = installAppClient(sim, { ...where, files: { "README.md": "r\n" } });
    const installation = [...sim.installations.values()].find((i) => i.appId === app.id);
    if (!installation) throw new Error("no installation");
    return new RetryingOctokit({ auth: { appId: app.id, privateKey: app.privateKey, installationId: installation.id } });
  }

  /** The first request of `operationId` answers 502, before or after it was applied; nothing else fails. */
  function failFirst(sim: GitHubSimulator, operationId: string, when: "before" | "after") {
    let seen = 0;
    sim.injectFaults({ seed: 1, rate: 1, afterShare: when === "after" ? 1 : 0, eligible: (r) => r.operationId === operationId && ++seen === 1 });
  }

  /** The operations logged from `from` on, auth requests left out. */
  function ops(sim: GitHubSimulator, from: number): string[] {
    return sim.requestLog.slice(from).map((e) => `${e.operationId ?? "?"} ${e.status}`).filter((o) => !o.startsWith("apps/"));
  }

  const cases = [
    {
      name: "issue",
      op: "issues/create",
      lookup: "issues/list-for-repo",
      run: (gh: InstanceType<typeof RetryingOctokit>) => createIssue(gh, { ...where, title: "Incident: api", body: "<!-- fleetward:incident -->", labels: ["fleetward:incident"] }).then((i) => i.number),
      made: (sim: GitHubSimulator) => [...sim.repo("acme", "gitops").issues.values()].filter((i) => i.title === "Incident: api").map((i) => i.number),
    },
    {
      name: "comment",
      op: "issues/create-comment",
      lookup: "issues/list-comments",
      before: (sim: GitHubSimulator) => sim.openIssue({ ...where, title: "t", user: "alice" }).number,
      run: (gh: InstanceType<typeof RetryingOctokit>, n?: number) => createComment(gh, { ...where, number: n ?? 0, body: "Rolled back." }).then((c) => c.id),
      made: (sim: GitHubSimulator) => sim.repo("acme", "gitops").comments.filter((c) => c.body === "Rolled back.").map((c) => c.id),
    },
    {
      name: "pull request",
      op: "pulls/create",
      lookup: "pulls/list",
      before: (sim: GitHubSimulator) => sim.commitFiles({ ...where, branch: "fleetward/promote", from: "main", files: { "a.yaml": "a: 1\n" }, user: "alice" }) && 0,
      run: (gh: InstanceType<typeof RetryingOctokit>) => createPullRequest(gh, { ...where, head: "fleetward/promote", base: "main", title: "Promote", body: "b" }).then((p) => p.number),
      made: (sim: GitHubSimulator) => [...sim.repo("acme", "gitops").pulls.values()].filter((p) => p.headRef === "fleetward/promote").map((p) => p.number),
    },
    {
      name: "check run",
      op: "checks/create",
      lookup: "checks/list-for-ref",
      /** startCheckRun looks for a run to reuse before creating one. */
      first: ["checks/list-for-ref 200"],
      run: (gh: InstanceType<typeof RetryingOctokit>, _n?: number, head?: string) => startCheckRun(gh, where, "fleetward/policy", head ?? "", "Checking"),
      made: (sim: GitHubSimulator) => [...sim.checkRuns.values()].filter((c) => c.name === "fleetward/policy").map((c) => c.id),
    },
  ];

  test.each(cases.flatMap((c) => (["after", "before"] as const).map((when) => ({ ...c, when }))))(
    "$name: a 502 $when the write applied → looked up, then adopted (after) or sent again (before): exactly one exists, returned",
    async (c) => {
      const { sim } = ctx;
      const gh = setup(sim);
      const n = c.before?.(sim);
      const head = sim.resolveCommitish(sim.repo("acme", "gitops"), "main");
      failFirst(sim, c.op, c.when);
      const from = sim.requestLog.length;
      const id = await c.run(gh, n, head);
      const retry = c.when === "before" ? [`${c.op} 201`] : [];
      expect(ops(sim, from).filter((o) => o.startsWith(c.op) || o.startsWith(c.lookup))).toEqual([...(c.first ?? []), `${c.op} 502`, `${c.lookup} 200`, ...retry]);
      expect(c.made(sim)).toEqual([id]);
    },
  );

  test("pull request: GitHub's 422 \"already exists\" on the first attempt is thrown as before (the callers adopt or decide again)", async () => {
    const { sim } = ctx;
    const gh = setup(sim);
    sim.commitFiles({ ...where, branch: "fleetward/promote", from: "main", files: { "a.yaml": "a: 1\n" }, user: "alice" });
    sim.openPullRequest({ ...where, head: "fleetward/promote", base: "main", title: "Promote (other replica)", user: "alice" });
    const from = sim.requestLog.length;
    await expect(createPullRequest(gh, { ...where, head: "fleetward/promote", base: "main", title: "Promote", body: "b" })).rejects.toMatchObject({ status: 422 });
    expect(ops(sim, from)).toEqual(["pulls/create 422"]);
    expect(isPullRequestExists(await createPullRequest(gh, { ...where, head: "fleetward/promote", base: "main", title: "P", body: "b" }).catch((e: unknown) => e))).toBe(true);
  });
});
