import { Worker } from "node:worker_threads";
import { beginQuery } from "../../../../src/rego/builtins/host/query-scope.js";
import { call, failure } from "./call-host-builtin.js";

const text = (r: unknown): string => new TextDecoder().decode(r as ArrayBuffer);

/**
 * The test server runs in a worker thread: http.send blocks this thread while it waits for the answer. Each JSON
 * answer carries the number of requests served so far (`n`).
 */
const SERVER = `
  const { parentPort } = require("node:worker_threads");
  let n = 0;
  const server = require("node:http").createServer((req, res) => {
    n++;
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url === "/text") {
        res.writeHead(201, { "content-type": "text/plain", "x-seen": req.headers["x-token"] || "" });
        return res.end("plain " + req.method);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, got: body === "" ? null : JSON.parse(body), n }));
    });
  });
  server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));`;

describe("http.send and net.lookup_ip_addr", () => {
  let server: Worker;
  let url: string;

  beforeAll(async () => {
    server = new Worker(SERVER, { eval: true });
    const port = await new Promise<number>((resolve, reject) => {
      server.once("message", resolve);
      server.once("error", reject);
      setTimeout(() => reject(new Error("test server did not start in 10 s")), 10_000).unref();
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server.terminate();
  });

  test("http.send: OPA's checks of the request keys", () => {
    expect(failure("http.send", { bad_key: "x", method: "get", url })).toBe('eval_type_error: http.send: invalid request parameters(s): {"bad_key"}');
    expect(failure("http.send", { method: "get" })).toBe('eval_type_error: http.send: missing required request parameters(s): {"url"}');
    expect(failure("http.send", { method: "get", url, tls_insecure_skip_verify: true })).toMatch(/not supported by Fleetward: \{"tls_insecure_skip_verify"\}/);
  });

  test("http.send: a JSON body goes out and a JSON response is decoded; one response per request in a query", () => {
    beginQuery();
    const res = call("http.send", { method: "post", url, body: { name: "alice" } }) as Record<string, Record<string, unknown>>;
    expect(res).toMatchObject({ status_code: 200, status: "200 OK", body: { method: "POST", got: { name: "alice" } } });
    expect(JSON.parse(res.raw_body as unknown as string)).toEqual(res.body);
    expect((call("http.send", { method: "post", url, body: { name: "alice" } }) as typeof res).body?.n).toBe(res.body?.n);
    beginQuery();
    expect((call("http.send", { method: "post", url, body: { name: "alice" } }) as typeof res).body?.n).toBe(Number(res.body?.n) + 1);
  });

  test("http.send: headers, text responses, and raise_error: false on a network error", () => {
    beginQuery();
    const res = call("http.send", { method: "GET", url: `${url}/text`, headers: { "x-token": "t1" } }) as Record<string, unknown>;
    expect(res).toMatchObject({ status_code: 201, raw_body: "plain GET", body: null });
    expect((res.headers as Record<string, string[]>)["x-seen"]).toEqual(["t1"]);
    const closed = call("http.send", { method: "GET", url: "http://127.0.0.1:1/", raise_error: false, timeout: "2s" }) as Record<string, unknown>;
    expect(closed.status_code).toBe(0);
    expect(failure("http.send", { method: "GET", url: "http://127.0.0.1:1/", timeout: "2s" })).toMatch(/^eval_builtin_error: http.send: /);
  });

  test("net.lookup_ip_addr: an address is itself; localhost resolves", () => {
    expect(call("net.lookup_ip_addr#value-text", '"10.0.0.1"')).toBe('{"10.0.0.1"}');
    expect(call("net.lookup_ip_addr#value-text", '"::"')).toBe('{"::"}');
    beginQuery();
    expect(text(call("net.lookup_ip_addr", "localhost"))).toMatch(/^\[("127\.0\.0\.1"|"::1")(,"::1")?\]$/);
    expect(failure("net.lookup_ip_addr", "no-such-host.invalid")).toMatch(/^eval_builtin_error: net.lookup_ip_addr: .*ENOTFOUND/);
  });
});
