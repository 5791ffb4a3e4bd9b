/**
 * The configuration on the default branch: an invalid push fails `fleetward/config` and the app keeps the
 * last valid configuration, found in the file's history even after a restart; org defaults and `_extends`
 * come from their repositories. In-process (nock) against the GitHub simulator.
 */
import pino from "pino";
import { fleetwardApp } from "../../src/app/index.js";
import { ConfigStore, loadConfigAt } from "../../src/app/repo-config.js";
import { createTestProbot, TestOctokit } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";

const VALID = `environments:
  - name: dev
    paths: ["envs/dev/**"]
`;
const BROKEN = `environments:
  - name: dev
    paths: ["envs/dev/**"]
    colour: blue
`;

const silent = pino({ level: "silent" });
const ctx = useGitHubSimulator();

async function installationClient(appId: number, privateKey: string, installationId: number): Promise<InstanceType<typeof TestOctokit>> {
  const gh = new TestOctokit({ auth: { appId, privateKey, installationId } });
  return gh;
}

test("an invalid push to the default branch fails the check and names the configuration kept", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": VALID } });
  const validSha = sim.resolveCommitish(sim.repo("acme", "gitops"), "main")!;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });

  const bad = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/fleetward.yml": BROKEN }, user: "bob", message: "colour" });
  await sim.settle();

  const runs = sim.checkRunsOf("acme", "gitops", bad.sha).filter((r) => r.name === "fleetward/config");
  expect(runs).toHaveLength(1);
  expect(runs[0]!.conclusion).toBe("failure");
  expect(runs[0]!.annotations).toEqual([expect.objectContaining({ start_line: 4, annotation_level: "failure" })]);
  expect(runs[0]!.output.summary).toContain(`last valid configuration, from commit ${validSha.slice(0, 7)}`);
});

test("after a restart the last valid configuration is found again in the file's history", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": VALID } });
  const validSha = sim.resolveCommitish(sim.repo("acme", "gitops"), "main")!;
  const app = sim.createApp();
  const inst = sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "main", files: { "envs/dev/a.yaml": "kind: A\n" }, user: "bob" });
  const bad = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/fleetward.yml": BROKEN }, user: "bob" });
  await sim.settle();

  const gh = await installationClient(app.id, app.privateKey, inst.id);
  const store = new ConfigStore();
  const active = await store.active(gh, { owner: "acme", repo: "gitops", ref: "main", headSha: bad.sha }, silent);
  expect(active).not.toBeNull();
  expect(active!.sha).toBe(validSha);
  expect(active!.fallback).toBe(true);
  expect(active!.config.environments.map((e) => e.name)).toEqual(["dev"]);
  // Remembered now: no second walk through history.
  const calls = sim.callCount("repos/list-commits");
  await store.active(gh, { owner: "acme", repo: "gitops", ref: "main", headSha: bad.sha }, silent);
  expect(sim.callCount("repos/list-commits")).toBe(calls);
});

test("with no valid configuration anywhere in history the app takes no action", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": BROKEN } });
  const app = sim.createApp();
  const inst = sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  const head = sim.resolveCommitish(sim.repo("acme", "gitops"), "main")!;
  const gh = await installationClient(app.id, app.privateKey, inst.id);
  expect(await new ConfigStore().active(gh, { owner: "acme", repo: "gitops", ref: "main", headSha: head }, silent)).toBeNull();
});

test("org defaults from the org's .github repository and _extends are merged below the repo's file", async () => {
  const { sim } = ctx;
  sim.createRepo({
    owner: "acme",
    name: ".github",
    files: { ".github/fleetward.yml": "settings:\n  rollback:\n    lookback: 3d\n" },
  });
  sim.createRepo({
    owner: "acme",
    name: "fleet-config",
    files: { "fleet.yml": 'environments:\n  - name: dev\n    paths: ["envs/dev/**"]\n' },
  });
  sim.createRepo({
    owner: "acme",
    name: "gitops",
    files: { ".github/fleetward.yml": "_extends: fleet-config:fleet.yml\nsettings:\n  promotion:\n    mode: manual\n" },
  });
  const app = sim.createApp();
  const inst = sim.install({ appId: app.id, account: "acme", repos: [".github", "fleet-config", "gitops"] });
  const gh = await installationClient(app.id, app.privateKey, inst.id);
  const loaded = await loadConfigAt(gh, { owner: "acme", repo: "gitops", ref: "main" });
  expect(loaded.problems).toEqual([]);
  expect(loaded.config?.environments.map((e) => e.name)).toEqual(["dev"]);
  expect(loaded.config?.settings?.promotion?.mode).toBe("manual");
  expect(loaded.config?.settings?.rollback?.lookback).toBe("3d");
  expect(loaded.sources.map((s) => s.file)).toEqual([
    "acme/.github:.github/fleetward.yml",
    "acme/fleet-config:fleet.yml",
    ".github/fleetward.yml",
  ]);
});

test("Re-run on the config check runs it again on the same run", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": VALID } });
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  const bad = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/fleetward.yml": BROKEN }, user: "bob" });
  await sim.settle();
  const [run] = sim.checkRunsOf("acme", "gitops", bad.sha);
  expect(run).toBeDefined();
  sim.rerequestCheckRun("acme", "gitops", run!.id, "bob");
  await sim.settle();
  const after = sim.checkRunsOf("acme", "gitops", bad.sha).filter((r) => r.name === "fleetward/config");
  expect(after).toHaveLength(1);
  expect(after[0]!.conclusion).toBe("failure");
  expect(sim.callCount("checks/update")).toBeGreaterThanOrEqual(1);
});

test("a missing _extends target withholds the configuration instead of loosening it", async () => {
  const { sim } = ctx;
  sim.createRepo({
    owner: "acme",
    name: "gitops",
    files: { ".github/fleetward.yml": "_extends: no-such-repo\nenvironments:\n  - name: dev\n    paths: [\"envs/dev/**\"]\n" },
  });
  const app = sim.createApp();
  const inst = sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  const gh = await installationClient(app.id, app.privateKey, inst.id);
  const loaded = await loadConfigAt(gh, { owner: "acme", repo: "gitops", ref: "main" });
  expect(loaded.config).toBeUndefined();
  expect(loaded.problems).toEqual([expect.objectContaining({ code: "config_extends_not_found", file: ".github/fleetward.yml", line: 1 })]);
});

test("the last valid configuration is kept per branch: a pull request into a side branch does not replace the default branch's", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": VALID, "envs/dev/a.yaml": "kind: A\n" } });
  const validSha = sim.resolveCommitish(sim.repo("acme", "gitops"), "main")!;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  // A release branch with its own valid configuration, and a pull request into it (its checks read the release config).
  const release = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "release", files: { ".github/fleetward.yml": `${VALID}  - name: hotfix\n    paths: ["envs/hotfix/**"]\n` }, user: "bob" });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "patch", from: "release", files: { "envs/dev/a.yaml": "kind: B\n" }, user: "bob" });
  sim.openPullRequest({ owner: "acme", repo: "gitops", head: "patch", base: "release", title: "Patch the release", user: "bob" });
  await sim.settle();

  const bad = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/fleetward.yml": BROKEN }, user: "bob", message: "colour" });
  await sim.settle();
  const [run] = sim.checkRunsOf("acme", "gitops", bad.sha).filter((r) => r.name === "fleetward/config");
  expect(run!.output.summary).toContain(`last valid configuration, from commit ${validSha.slice(0, 7)}`);
  expect(run!.output.summary).not.toContain(release.sha.slice(0, 7));
}, 90_000);
