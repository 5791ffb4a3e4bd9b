/**
 * Traces end to end: with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local HTTP collector, the real server
 * (`startServer`) against the GitHub simulator exports the spans of one pull request's webhook delivery (config
 * load, policy compile and evaluation, each GitHub call, nested under the delivery's span) and of one alert request.
 */
import { type IncomingMessage, createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import type { Server } from "probot";
import { fleetwardApp } from "../../../src/app/index.js";
import { stopTracing } from "../../../src/app/observability/tracing.js";
import { startServer } from "../../../src/app/server.js";
import { closePolicySandbox } from "../../../src/sandbox/index.js";
import { freePort } from "../../helpers/free-port.js";
import { setHttpAppEnv } from "../../helpers/http-app-env.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";
import { GitHubSimulator, type RunningServer } from "../../../src/simulator/github-simulator.js";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean } }>;
}
interface OtlpBody {
  resourceSpans: Array<{ resource: { attributes: OtlpSpan["attributes"] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
rollback:
  rules:
    - name: pages
      match: ["severity=page"]
      environment: { label: env }
`;
const POLICY = 'package main\n\ndeny contains "no latest" if {\n\tendswith(input.data.image, ":latest")\n}\n';
const TOKEN = "alerts-token";

let sim: GitHubSimulator;
let api: RunningServer;
let server: Server;
let collector: HttpServer;
let restoreEnv: (() => void) | undefined;
let base: string;
const posts: Array<{ contentType: string | undefined; body: OtlpBody }> = [];

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue ?? v?.boolValue;
};

beforeAll(async () => {
  ensureRuntimeBuilt();
  await closePolicySandbox();
  collector = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") posts.push({ contentType: req.headers["content-type"], body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpBody });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  sim = new GitHubSimulator();
  api = await sim.listen();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": CONFIG, "policy/deny.rego": POLICY, "envs/dev/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {image: app:v1}\n" } });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  const port = await freePort();
  restoreEnv = setHttpAppEnv(app, api, port, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_SERVICE_NAME: "fleetward-test",
    ALERTS_BEARER_TOKEN: TOKEN,
  });
  server = await startServer(fleetwardApp(), { log: pino({ level: "silent" }) });
  base = `http://127.0.0.1:${port}`;
  sim.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await api?.close();
  await closePolicySandbox();
  await stopTracing();
  await new Promise((resolve) => collector?.close(resolve));
  restoreEnv?.();
});

test("one pull request's delivery and one alert request arrive at the collector as nested spans", async () => {
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "v2", user: "alice", files: { "envs/dev/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {image: app:v2}\n" } });
  const deliveries: string[] = [];
  const stop = sim.onWebhook((d) => {
    if (d.name === "pull_request") deliveries.push(d.id);
  });
  sim.openPullRequest({ owner: "acme", repo: "gitops", head: "v2", title: "v2", user: "alice" });
  await sim.settle();
  stop();
  const headSha = sim.resolveCommitish(sim.repo("acme", "gitops"), "v2")!;
  for (let i = 0; i < 360 && !sim.checkRunsOf("acme", "gitops", headSha).some((r) => r.name === "fleetward/policy" && r.conclusion !== null); i++) await new Promise((r) => setTimeout(r, 250));
  const alert = await fetch(`${base}/api/alerts/generic`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ status: "firing", labels: { alertname: "Quiet", severity: "none" }, alerts: [{ startsAt: new Date().toISOString() }] }),
  });
  expect(alert.status).toBe(200);
  await stopTracing(); // exports what is buffered

  // The exporter of this version posts OTLP JSON.
  expect(posts.length).toBeGreaterThan(0);
  expect(new Set(posts.map((p) => p.contentType))).toEqual(new Set(["application/json"]));
  const spans = posts.flatMap((p) => p.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  const service = posts[0]!.body.resourceSpans[0]!.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue;
  expect(service).toBe("fleetward-test");

  expect(deliveries).toHaveLength(1);
  const root = spans.find((s) => s.name === "webhook pull_request");
  expect(root).toBeDefined();
  expect(root!.parentSpanId ?? "").toBe("");
  expect([attr(root!, "github.delivery"), attr(root!, "github.event"), attr(root!, "github.webhook.action"), attr(root!, "github.repository")]).toEqual([deliveries[0], "pull_request", "opened", "acme/gitops"]);
  const children = spans.filter((s) => s.parentSpanId === root!.spanId);
  const names = new Set(children.map((s) => s.name));
  for (const name of ["config load", "policy compile", "policy evaluation", "GitHub PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"]) expect([name, names.has(name)]).toEqual([name, true]);
  expect(children.every((s) => s.traceId === root!.traceId)).toBe(true);
  // The config load's own GitHub read nests under it.
  const load = children.find((s) => s.name === "config load")!;
  expect(spans.filter((s) => s.parentSpanId === load.spanId).map((s) => s.name)).toContain("GitHub GET /repos/{owner}/{repo}/contents/{path}");

  const alertSpan = spans.find((s) => s.name === "alert generic");
  expect(alertSpan).toBeDefined();
  expect([attr(alertSpan!, "fleetward.alert.source"), attr(alertSpan!, "http.response.status_code")]).toEqual(["generic", 200]);
  const alertChildren = spans.filter((s) => s.parentSpanId === alertSpan!.spanId && s.traceId === alertSpan!.traceId);
  expect(alertChildren.some((s) => s.name.startsWith("GitHub "))).toBe(true);
  expect(alertSpan!.traceId).not.toBe(root!.traceId);
}, 180_000);
