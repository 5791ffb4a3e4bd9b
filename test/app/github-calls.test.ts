/**
 * The functions in src/app/github/ against the simulator (each request checked against GitHub's OpenAPI
 * description), including the limits GitHub sets: 50 annotations per request, 100 files per page.
 */
import type { CheckAnnotation } from "../../src/checks/check-run-plan.js";
import { listPullRequestFiles } from "../../src/app/github/list-pull-request-files.js";
import { publishCheckRun, startCheckRun } from "../../src/app/github/publish-check-run.js";
import { readFile } from "../../src/app/github/read-file.js";
import { installAppClient } from "../helpers/install-app-client.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";

const ctx = useGitHubSimulator();
const where = { owner: "acme", repo: "gitops" };

function setup(files: Record<string, string> = { "README.md": "hi\n" }) {
  const { sim } = ctx;
  return { sim, ...installAppClient(sim, { ...where, files }) };
}

test("readFile returns the text at a ref and null for a missing file or ref", async () => {
  const { sim, gh, head } = setup({ "a/b.yaml": "x: 1\n" });
  sim.commitFiles({ ...where, branch: "main", files: { "a/b.yaml": "x: 2\n" }, user: "bob" });
  expect(await readFile(gh, { ...where, path: "a/b.yaml" })).toBe("x: 2\n");
  expect(await readFile(gh, { ...where, path: "a/b.yaml", ref: head })).toBe("x: 1\n");
  expect(await readFile(gh, { ...where, path: "missing.yaml" })).toBeNull();
  expect(await readFile(gh, { ...where, path: "a/b.yaml", ref: "no-such-branch" })).toBeNull();
});

test("a check run with 120 annotations is sent in three requests of at most 50, the last one completing it", async () => {
  const { sim, gh, head } = setup();
  const annotations: CheckAnnotation[] = Array.from({ length: 120 }, (_, i) => ({
    path: "README.md",
    startLine: i + 1,
    endLine: i + 1,
    level: "warning",
    message: `finding ${i + 1}`,
  }));
  const checksCalls = () => sim.callCount("checks/list-for-ref") + sim.callCount("checks/create") + sim.callCount("checks/update");
  const before = checksCalls();
  const id = await publishCheckRun(gh, where, { name: "fleetward/test", headSha: head, conclusion: "neutral", title: "t", summary: "s", annotations });
  // one lookup of an existing run, one create, two updates
  expect(checksCalls() - before).toBe(4);
  expect(sim.callCount("checks/update")).toBe(2);
  const [run] = sim.checkRunsOf("acme", "gitops", head);
  expect(run?.id).toBe(id);
  expect(run?.status).toBe("completed");
  expect(run?.conclusion).toBe("neutral");
  expect(run?.annotations).toHaveLength(120);
  expect(run?.annotations.at(-1)).toMatchObject({ start_line: 120, message: "finding 120" });
});

test("startCheckRun then publishCheckRun reuse one run; a second start on the same commit reuses it too", async () => {
  const { sim, gh, head } = setup();
  const id = await startCheckRun(gh, where, "fleetward/policy", head, "Evaluating");
  expect(sim.checkRunsOf("acme", "gitops", head)[0]?.status).toBe("in_progress");
  expect(await startCheckRun(gh, where, "fleetward/policy", head, "Evaluating")).toBe(id);
  await publishCheckRun(gh, where, { name: "fleetward/policy", headSha: head, conclusion: "success", title: "ok", summary: "ok", annotations: [] }, id);
  const runs = sim.checkRunsOf("acme", "gitops", head);
  expect(runs).toHaveLength(1);
  expect(runs[0]?.conclusion).toBe("success");
});

test("listPullRequestFiles pages through every changed file", async () => {
  const { sim, gh } = setup();
  const files = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`envs/dev/app${i}/deploy.yaml`, `n: ${i}\n`]));
  sim.commitFiles({ ...where, branch: "many", from: "main", files, user: "alice" });
  const pr = sim.openPullRequest({ ...where, head: "many", base: "main", title: "many", user: "alice" });
  const before = sim.callCount("pulls/list-files");
  const listed = await listPullRequestFiles(gh, { ...where, pullNumber: pr.number });
  expect(listed).toHaveLength(250);
  expect(new Set(listed.map((f) => f.path)).size).toBe(250);
  expect(listed.every((f) => f.status === "added")).toBe(true);
  expect(sim.callCount("pulls/list-files") - before).toBe(3);
});
