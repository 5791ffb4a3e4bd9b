/** A small world for the simulator's own tests: an app installed on org "acme" with repo "fleet". */
import type { ProbotOctokit } from "probot";
import { createTestProbot, type TestProbot } from "../helpers/create-test-probot.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import type { SimInstallation, SimRepo } from "../../src/simulator/sim-model.js";

export interface SimFixture {
  repo: SimRepo;
  installation: SimInstallation;
  test: TestProbot;
  octokit: InstanceType<typeof ProbotOctokit>;
}

export async function createSimFixture(sim: GitHubSimulator, options: { baseUrl?: string; files?: Record<string, string> } = {}): Promise<SimFixture> {
  const app = sim.createApp({ slug: "fleetward-test" });
  const repo = sim.createRepo({ owner: "acme", name: "fleet", files: options.files ?? { "README.md": "# fleet\n", "clusters/prod/app.yaml": "replicas: 2\n" } });
  const installation = sim.install({ appId: app.id, account: "acme" });
  const test = await createTestProbot({ sim, app, connect: false, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const octokit = await test.probot.auth(installation.id);
  return { repo, installation, test, octokit };
}
