/**
 * The Prometheus client against a local HTTP server that answers as Prometheus, Thanos or Mimir would: path
 * prefix, auth and tenant headers, retries on 5xx and network errors, timeouts, query errors. The registry:
 * JSON from the environment or a mounted file, with clear errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrometheusError, queryInstant, queryRange } from "../../../src/app/analysis/prometheus-client.js";
import type { PrometheusServer } from "../../../src/app/analysis/prometheus-servers.js";
import { parseServerRegistry, prometheusServerNames, serverRegistryFromEnv, ServerRegistryError } from "../../../src/app/analysis/prometheus-servers.js";
import { freePort } from "../../helpers/free-port.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base = "";
const seen: Seen[] = [];
type Answer = (req: Seen) => { status: number; body: unknown; delayMs?: number };
let answers: Answer[] = [];
const NONE: Answer = () => ({ status: 500, body: { status: "error", error: "no answer queued" } });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const s = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(s);
      const answer = (answers.shift() ?? NONE)(s);
      setTimeout(() => res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body)), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const vector = (...rows: [Record<string, string>, string][]) => ({ status: 200, body: { status: "success", data: { resultType: "vector", result: rows.map(([metric, v]) => ({ metric, value: [1700000000, v] })) } } });
const registry = (json: object) => parseServerRegistry(JSON.stringify(json), "test");
const server1 = (extra: object = {}): PrometheusServer => registry({ mimir: { url: `${base}/prometheus/`, ...extra } }).get("mimir")!;
const quick = { backoffMs: () => 1 };

test("an instant query posts to the path below the base URL with bearer auth and tenant header; values parse, NaN and Inf included", async () => {
  answers.push(() => vector([{ cluster: "a" }, "0.5"], [{ cluster: "b" }, "NaN"], [{}, "+Inf"]));
  const rows = await queryInstant(server1({ auth: { bearer: "s3cret" }, headers: { "X-Scope-OrgID": "team-a" } }), 'up{job="x"}', quick);
  expect(rows).toEqual([{ labels: { cluster: "a" }, value: 0.5 }, { labels: { cluster: "b" }, value: NaN }, { labels: {}, value: Infinity }]);
  expect(seen[0]).toMatchObject({ method: "POST", url: "/prometheus/api/v1/query", body: "query=up%7Bjob%3D%22x%22%7D" });
  expect(seen[0]?.headers).toMatchObject({ authorization: "Bearer s3cret", "x-scope-orgid": "team-a", "content-type": "application/x-www-form-urlencoded" });
});

test("basic auth; a scalar answer is one series; a range query sends start, end and step", async () => {
  answers.push(() => ({ status: 200, body: { status: "success", data: { resultType: "scalar", result: [1, "2"] } } }));
  answers.push(() => ({ status: 200, body: { status: "success", data: { resultType: "matrix", result: [{ metric: { a: "b" }, values: [[10, "1"], [20, "3"]] }] } } }));
  const s = server1({ auth: { username: "u", password: "p" } });
  expect(await queryInstant(s, "1+1", quick)).toEqual([{ labels: {}, value: 2 }]);
  expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
  const range = await queryRange(s, "x", { start: new Date(10_000), end: new Date(20_000), stepSeconds: 10 }, quick);
  expect(range).toEqual([{ labels: { a: "b" }, values: [{ time: 10, value: 1 }, { time: 20, value: 3 }] }]);
  expect(seen[1]).toMatchObject({ url: "/prometheus/api/v1/query_range", body: "query=x&start=10&end=20&step=10" });
});

test("5xx and 429 are retried up to `retries` times; then the error names the server and the status", async () => {
  answers.push(() => ({ status: 503, body: { status: "error", error: "overloaded" } }), () => ({ status: 429, body: {} }), () => vector([{}, "1"]));
  expect(await queryInstant(server1({ retries: 2 }), "x", quick)).toEqual([{ labels: {}, value: 1 }]);
  expect(seen).toHaveLength(3);
  seen.length = 0;
  answers.push(() => ({ status: 502, body: {} }), () => ({ status: 502, body: {} }));
  await expect(queryInstant(server1({ retries: 1 }), "x", quick)).rejects.toThrow(new PrometheusError("http", 'prometheus "mimir" answered HTTP 502'));
  expect(seen).toHaveLength(2);
});

test("a bad query is not retried and says what Prometheus said", async () => {
  answers.push(() => ({ status: 400, body: { status: "error", errorType: "bad_data", error: "parse error at char 3" } }));
  await expect(queryInstant(server1(), "x{", quick)).rejects.toThrow('prometheus "mimir" rejected the query: bad_data: parse error at char 3');
  expect(seen).toHaveLength(1);
});

test("no answer within the timeout, or nobody listening, is `unreachable` with the reason", async () => {
  answers.push(() => ({ ...vector([{}, "1"]), delayMs: 1500 }));
  const slow = queryInstant(server1({ timeout: "1s", retries: 0 }), "x", quick);
  await expect(slow).rejects.toMatchObject({ kind: "unreachable", message: 'prometheus "mimir" unreachable: no answer within 1000 ms' });
  const down = registry({ down: { url: `http://127.0.0.1:${await freePort()}`, retries: 1 } }).get("down")!;
  await expect(queryInstant(down, "x", quick)).rejects.toMatchObject({ kind: "unreachable", message: expect.stringMatching(/^prometheus "down" unreachable: .*ECONNREFUSED/) });
});

test("a non-vector answer is a response error", async () => {
  answers.push(() => ({ status: 200, body: { status: "success", data: { resultType: "matrix", result: [] } } }));
  await expect(queryInstant(server1(), "x[1m]", quick)).rejects.toThrow('prometheus "mimir" answered an unexpected result: expected a vector, got matrix');
});

test.each([
  ["not JSON", "{", "test: not JSON"],
  ["a list", "[]", "test: expected an object of server name → {url, auth}"],
  ["a bad name", '{"a b": {"url": "http://x"}}', 'server name "a b"'],
  ["a non-http URL", '{"p": {"url": "file:///etc/passwd"}}', 'server "p": url: url must be an http(s) URL'],
  ["half basic auth", '{"p": {"url": "http://x", "auth": {"username": "u"}}}', 'server "p": auth'],
  ["a bad timeout", '{"p": {"url": "http://x", "timeout": "soon"}}', 'server "p": timeout: timeout is a duration'],
])("the registry refuses %s", (_, text, message) => {
  expect(() => parseServerRegistry(text, "test")).toThrow(ServerRegistryError);
  expect(() => parseServerRegistry(text, "test")).toThrow(message);
});

test("the registry comes from FLEETWARD_PROMETHEUS_SERVERS, else the mounted file; defaults filled", () => {
  const dir = mkdtempSync(join(tmpdir(), "fleetward-servers-"));
  try {
    const file = join(dir, "servers.json");
    writeFileSync(file, JSON.stringify({ fromfile: { url: "https://thanos.example.com/" } }));
    expect([...serverRegistryFromEnv({ FLEETWARD_PROMETHEUS_SERVERS_FILE: file }).values()]).toEqual([
      { name: "fromfile", url: "https://thanos.example.com", headers: {}, timeout: "10s", timeoutMs: 10_000, retries: 2 },
    ]);
    expect(prometheusServerNames({ FLEETWARD_PROMETHEUS_SERVERS: '{"inline": {"url": "http://p:9090"}}', FLEETWARD_PROMETHEUS_SERVERS_FILE: file })).toEqual(["inline"]);
    expect(serverRegistryFromEnv({}).size).toBe(0);
    expect(() => serverRegistryFromEnv({ FLEETWARD_PROMETHEUS_SERVERS_FILE: join(dir, "missing.json") })).toThrow(/FLEETWARD_PROMETHEUS_SERVERS_FILE .*missing\.json: ENOENT/);
    expect(prometheusServerNames({ FLEETWARD_PROMETHEUS_SERVERS: "{" })).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
