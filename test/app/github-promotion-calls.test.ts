/** The GitHub functions added for promotion (compare, commits, default branch, labelled pull requests) against the simulator. */
import { getCommitFacts, getDefaultBranch, listBranchCommits } from "../../src/app/github/commit-facts.js";
import { compareCommits } from "../../src/app/github/compare-commits.js";
import { addLabels } from "../../src/app/github/issues.js";
import { listPullRequestNumbersWithLabel, removeLabel } from "../../src/app/github/labelled-pull-requests.js";
import { installAppClient } from "../helpers/install-app-client.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";

const ctx = useGitHubSimulator();
const where = { owner: "acme", repo: "gitops" };

function setup() {
  const { sim } = ctx;
  const { gh, head } = installAppClient(sim, { ...where, files: { "a.txt": "1\n", "b.txt": "1\n" }, defaultBranch: "trunk" });
  return { sim, gh, first: head };
}

test("compareCommits: changed files and whether head contains base", async () => {
  const { sim, gh, first } = setup();
  const second = sim.commitFiles({ ...where, branch: "trunk", files: { "a.txt": "2\n", "c.txt": "new\n" }, user: "alice" }).sha;
  const ahead = await compareCommits(gh, { ...where, base: first, head: second });
  expect(ahead).toEqual({ status: "ahead", files: ["a.txt", "c.txt"], filesTruncated: false });
  expect((await compareCommits(gh, { ...where, base: second, head: first })).status).toBe("behind");
  expect((await compareCommits(gh, { ...where, base: second, head: second })).status).toBe("identical");
});

test("getCommitFacts, listBranchCommits (newest first, since) and getDefaultBranch", async () => {
  const { sim, gh, first } = setup();
  sim.clock.advance(3_600_000);
  const second = sim.commitFiles({ ...where, branch: "trunk", files: { "b.txt": "2\n" }, user: "alice", message: "Bump b\n\nbody" }).sha;
  const facts = await getCommitFacts(gh, { ...where, sha: second });
  expect(facts).toMatchObject({ sha: second, message: "Bump b\n\nbody", parents: [first], date: "2026-01-01T01:00:00Z" });
  expect((await listBranchCommits(gh, { ...where, ref: second, limit: 10 })).map((c) => c.sha)).toEqual([second, first]);
  expect((await listBranchCommits(gh, { ...where, ref: second, limit: 1 })).map((c) => c.sha)).toEqual([second]);
  const recent = await listBranchCommits(gh, { ...where, ref: second, limit: 10, since: new Date("2026-01-01T00:30:00Z") });
  expect(recent).toEqual([{ sha: second, parents: [first], date: "2026-01-01T01:00:00Z" }]);
  expect(await getDefaultBranch(gh, where)).toBe("trunk");
});

test("listPullRequestNumbersWithLabel lists labelled pull requests (not issues) by state; removeLabel tolerates a missing label", async () => {
  const { sim, gh } = setup();
  sim.commitFiles({ ...where, branch: "x", files: { "a.txt": "x\n" }, user: "alice" });
  const pr = sim.openPullRequest({ ...where, head: "x", base: "trunk", title: "x", user: "alice" });
  const issue = sim.openIssue({ ...where, title: "not a pull request", user: "alice" });
  await addLabels(gh, { ...where, number: pr.number, labels: ["fleetward:baking"] });
  await addLabels(gh, { ...where, number: issue.number, labels: ["fleetward:baking"] });
  expect(await listPullRequestNumbersWithLabel(gh, { ...where, label: "fleetward:baking", state: "open" })).toEqual([pr.number]);
  expect(await listPullRequestNumbersWithLabel(gh, { ...where, label: "fleetward:baking", state: "closed" })).toEqual([]);
  sim.merge("acme", "gitops", pr.number, "alice");
  expect(await listPullRequestNumbersWithLabel(gh, { ...where, label: "fleetward:baking", state: "closed" })).toEqual([pr.number]);
  await removeLabel(gh, { ...where, number: pr.number, label: "fleetward:baking" });
  await removeLabel(gh, { ...where, number: pr.number, label: "fleetward:baking" });
  expect(sim.labelsOf("acme", "gitops", pr.number)).toEqual([]);
});
