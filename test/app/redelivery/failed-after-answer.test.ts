/**
 * A delivery whose handlers fail after Probot's 202 answer (9 s) is redelivered once, end to end: the real server (in
 * process, over HTTP) against the simulator, which waits for each answer as GitHub does. Next to the app's own
 * handlers, a handler of this test takes `issues.opened` with the issue's title as its script: "fails late" runs
 * past the answer, then throws (first delivery only); "slow but fine" runs past the answer and succeeds; "fails
 * early" throws at once (first delivery only), so GitHub records a 500. The redeliverer (every second here) asks
 * GitHub for the late failure from the coordinator's record and for the early one from GitHub's list, once each,
 * and both complete on their redelivery; the slow success is never asked for.
 */
import pino from "pino";
import type { ApplicationFunction, Server } from "probot";
import { fleetwardApp } from "../../../src/app/index.js";
import { startServer } from "../../../src/app/server.js";
import { closePolicySandbox } from "../../../src/sandbox/index.js";
import { freePort } from "../../helpers/free-port.js";
import { setHttpAppEnv } from "../../helpers/http-app-env.js";
import { pollUntil } from "../../helpers/real-servers/poll-until.js";
import { GitHubSimulator, type RunningServer } from "../../../src/simulator/github-simulator.js";

/** Longer than the 9 s after which @octokit/webhooks answers 202 and lets the handlers go on. */
const PAST_THE_ANSWER_MS = 9_600;

let sim: GitHubSimulator;
let api: RunningServer;
let server: Server;
let restoreEnv: (() => void) | undefined;
const logLines: Array<{ msg?: string; guid?: string }> = [];
/** Titles of the issues whose handler completed, with their delivery GUID. */
const completed: Array<{ title: string; guid: string; at: number }> = [];
const failedAt = new Map<string, number>();
const deliveriesSeen = new Map<string, number>();

async function scriptedHandler(title: string, guid: string): Promise<void> {
  const n = (deliveriesSeen.get(guid) ?? 0) + 1;
  deliveriesSeen.set(guid, n);
  if (title === "fails early" && n === 1) throw new Error("fails before the answer");
  if (title !== "fails early" && n === 1) await new Promise((r) => setTimeout(r, PAST_THE_ANSWER_MS));
  if (title === "fails late" && n === 1) {
    failedAt.set(guid, Date.now());
    throw new Error("fails after the answer");
  }
  completed.push({ title, guid, at: Date.now() });
}

beforeAll(async () => {
  sim = new GitHubSimulator();
  api = await sim.listen();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": "environments:\n  - name: dev\n    paths: [\"envs/dev/**\"]\n" } });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  const port = await freePort();
  restoreEnv = setHttpAppEnv(app, api, port, { FLEETWARD_REDELIVER_INTERVAL: "1s", FLEETWARD_RECONCILE_INTERVAL: "off" });
  const appFn: ApplicationFunction = (probot, options) => {
    void fleetwardApp({ now: () => sim.clock.now() })(probot, options);
    probot.on("issues.opened", (context) => scriptedHandler(context.payload.issue.title, context.id));
  };
  const sink = { write: (line: string) => void logLines.push(JSON.parse(line) as { msg?: string; guid?: string }) };
  server = await startServer(appFn, { log: pino({ level: "info" }, sink) });
  sim.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`);
});

afterAll(async () => {
  await server?.stop();
  await api?.close();
  restoreEnv?.();
  await closePolicySandbox();
});

const open = (title: string) => sim.openIssue({ owner: "acme", repo: "gitops", title, user: "alice" });
const guidOf = (title: string) => sim.webhooks.deliveries().find((d) => d.name === "issues" && (d.payload as { issue: { title: string } }).issue.title === title)!.id;
const attemptsOf = (guid: string) => sim.webhooks.attempts.filter((a) => a.guid === guid);

test("a handler failing after the 202 is redelivered once and completes; a slow success is not; an early failure is asked for once", async () => {
  open("fails late");
  open("slow but fine");
  open("fails early");
  await expect(sim.settle()).rejects.toThrow(/1 webhook deliveries failed.*HTTP 500/);
  const [late, slow, early] = ["fails late", "slow but fine", "fails early"].map(guidOf) as [string, string, string];
  // GitHub's view: the late failure and the slow success were answered 202, the early failure 500.
  expect(attemptsOf(late).map((a) => a.statusCode)).toEqual([202]);
  expect(attemptsOf(slow).map((a) => a.statusCode)).toEqual([202]);
  expect(attemptsOf(early).map((a) => a.statusCode)).toEqual([500]);
  await pollUntil("the late handler has failed", () => Promise.resolve(failedAt.get(late)), 15_000, 100);
  await pollUntil("the late failure is recorded", () => Promise.resolve(logLines.find((l) => l.guid === late && /failed after its answer was sent: recorded/.test(l.msg ?? ""))), 5_000, 50);
  expect(logLines.filter((l) => /failed after its answer was sent/.test(l.msg ?? "")).map((l) => l.guid)).toEqual([late]);

  // A minute and more later (the redeliverer's minimum age), both failures are asked for and complete.
  sim.clock.advance(2 * 60_000);
  await pollUntil("both failures completed on their redelivery", () => Promise.resolve(completed.some((c) => c.guid === late) && completed.some((c) => c.guid === early) ? true : undefined), 30_000, 100);
  await new Promise((r) => setTimeout(r, 3_500)); // more redeliverer runs: nothing more is asked
  await sim.settle();

  expect(attemptsOf(late).map((a) => [a.redelivery, a.statusCode])).toEqual([[false, 202], [true, 200]]);
  expect(attemptsOf(early).map((a) => [a.redelivery, a.statusCode])).toEqual([[false, 500], [true, 200]]);
  expect(attemptsOf(slow)).toHaveLength(1);
  expect(sim.requestLog.filter((e) => e.operationId === "apps/redeliver-webhook-delivery")).toHaveLength(2);
  expect(completed.map((c) => c.title).sort()).toEqual(["fails early", "fails late", "slow but fine"]);
  expect(deliveriesSeen.get(slow)).toBe(1);
  sim.assertNoViolations();
}, 90_000);
