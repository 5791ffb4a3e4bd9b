/**
 * A simulator repository with an app installed on it, and that installation's client (retries and throttling off),
 * for tests that call the functions in src/app/github/ directly rather than through webhooks.
 */
import { TestOctokit } from "./create-test-probot.js";
import type { CreatedApp, GitHubSimulator } from "../../src/simulator/github-simulator.js";

export interface InstallAppClientOptions {
  owner: string;
  repo: string;
  files?: Record<string, string | Buffer>;
  defaultBranch?: string;
  /** The app's slug (its bot login is `<slug>[bot]`). */
  slug?: string;
}

export interface InstalledAppClient {
  app: CreatedApp;
  /** The installation's client, as the app's handlers get it. */
  gh: InstanceType<typeof TestOctokit>;
  /** The default branch's commit after the repository was created. */
  head: string;
}

export function installAppClient(sim: GitHubSimulator, options: InstallAppClientOptions): InstalledAppClient {
  const { owner, repo, files, defaultBranch, slug } = options;
  const created = sim.createRepo({ owner, name: repo, files, ...(defaultBranch !== undefined ? { defaultBranch } : {}) });
  const app = sim.createApp(slug !== undefined ? { slug } : {});
  const installation = sim.install({ appId: app.id, account: owner, repos: [repo] });
  const gh = new TestOctokit({ auth: { appId: app.id, privateKey: app.privateKey, installationId: installation.id } });
  const head = sim.resolveCommitish(created, defaultBranch ?? "main");
  if (head === undefined) throw new Error(`installAppClient: ${owner}/${repo} has no branch ${defaultBranch ?? "main"}`);
  return { app, gh, head };
}
