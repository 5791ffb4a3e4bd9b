/**
 * A Probot instance wired to the GitHub simulator: the sim app's id, private key and webhook secret,
 * retries and throttling off, `baseUrl` pointing at the sim (nock mode by default).
 */
import { Probot, ProbotOctokit, type ApplicationFunction } from "probot";
import type { GitHubSimulator, CreatedApp } from "../../src/simulator/github-simulator.js";
import type { WebhookDelivery } from "../../src/simulator/webhook-dispatcher.js";

/** ProbotOctokit with @octokit/plugin-retry and @octokit/plugin-throttling disabled (deterministic call counts). */
export const TestOctokit = ProbotOctokit.defaults((instanceOptions: ConstructorParameters<typeof ProbotOctokit>[0]) => ({
  ...instanceOptions,
  retry: { enabled: false },
  throttle: { ...(instanceOptions?.throttle ?? {}), enabled: false },
}));

export interface TestProbot {
  probot: Probot;
  app: CreatedApp;
  /** Feeds one sim delivery through signature verification into the app's handlers. */
  receive(delivery: WebhookDelivery): Promise<void>;
  /** Routes every future sim webhook for this app into `receive`; returns an unsubscribe function. */
  connect(): () => void;
}

export interface CreateTestProbotOptions {
  sim: GitHubSimulator;
  appFn?: ApplicationFunction;
  /** An app created earlier with `sim.createApp()`; a new one is created if omitted. */
  app?: CreatedApp;
  /** API base URL; default https://api.github.com (use `sim.interceptWithNock()`), or a `listen()` baseUrl. */
  baseUrl?: string;
  /** Route sim webhooks to the app immediately (default true). */
  connect?: boolean;
}

export async function createTestProbot(options: CreateTestProbotOptions): Promise<TestProbot> {
  const app = options.app ?? options.sim.createApp();
  const probot = new Probot({
    appId: app.id,
    privateKey: app.privateKey,
    secret: app.webhookSecret,
    baseUrl: options.baseUrl ?? "https://api.github.com",
    Octokit: TestOctokit,
    logLevel: "fatal",
  });
  if (options.appFn) await probot.load(options.appFn);
  const receive = async (d: WebhookDelivery): Promise<void> => {
    await probot.webhooks.verifyAndReceive({ id: d.id, name: d.name, payload: d.body, signature: d.signature256 });
  };
  const connect = (): (() => void) =>
    options.sim.onWebhook(async (d) => {
      if (d.appId === app.id) await receive(d);
    });
  if (options.connect ?? true) connect();
  return { probot, app, receive, connect };
}
