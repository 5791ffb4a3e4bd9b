/**
 * `http.send(request)`: an HTTP request with OPA's request checks (unknown and missing keys are type errors with
 * OPA's messages) and response shape (`status`, `status_code`, `headers`, `raw_body`, `body` decoded from JSON when
 * the response says so or `force_json_decode`). Supported keys: method, url, headers, body, raw_body, timeout,
 * enable_redirect, force_json_decode, raise_error; the TLS and cache keys are accepted by the check and refused
 * when set, as not supported. Effectful: the app refuses policies that call it; the CLI runs it.
 */
import { builtinError, isObject, obj, typeError, type HostBuiltinFamily, type Json } from "./operands.js";
import { queryCached } from "./query-scope.js";
import { callSync } from "./sync-call.js";
import { parseDuration } from "./time.js";

const SUPPORTED = ["method", "url", "headers", "body", "raw_body", "timeout", "enable_redirect", "force_json_decode", "raise_error"];
const UNSUPPORTED = [
  "force_yaml_decode", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert",
  "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable",
  "tls_insecure_skip_verify", "tls_server_name", "cache", "force_cache", "force_cache_duration_seconds", "caching_mode",
  "max_retry_attempts", "cache_ignored_headers",
];
const REQUIRED = ["method", "url"];

const quoteSet = (keys: string[]): string => `{${keys.map((k) => JSON.stringify(k)).join(", ")}}`;

interface Wire {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  redirect: "follow" | "manual";
  timeoutMs: number;
}

const FETCH = `async (r) => {
  const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, redirect: r.redirect, signal: AbortSignal.timeout(r.timeoutMs) });
  const headers = {};
  res.headers.forEach((v, k) => { (headers[k] ??= []).push(v); });
  return { status: res.status, statusText: res.statusText, headers, text: await res.text() };
}`;

/** The request as plain data for the worker, after OPA's checks. */
function wireRequest(req: Record<string, Json>): Wire {
  const keys = Object.keys(req);
  const invalid = keys.filter((k) => !SUPPORTED.includes(k) && !UNSUPPORTED.includes(k)).sort();
  if (invalid.length > 0) throw typeError(`http.send: invalid request parameters(s): ${quoteSet(invalid)}`);
  const missing = REQUIRED.filter((k) => !keys.includes(k));
  if (missing.length > 0) throw typeError(`http.send: missing required request parameters(s): ${quoteSet(missing)}`);
  const unsupported = keys.filter((k) => UNSUPPORTED.includes(k));
  if (unsupported.length > 0) throw builtinError(`http.send: request parameters not supported by Fleetward: ${quoteSet(unsupported)}`);
  if (typeof req.method !== "string" || typeof req.url !== "string") throw typeError("http.send: method and url must be strings");
  const headers: Record<string, string> = {};
  if (req.headers !== undefined) {
    if (!isObject(req.headers)) throw typeError("http.send: headers must be an object");
    for (const [k, v] of Object.entries(req.headers)) headers[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const wire: Wire = { method: req.method.toUpperCase(), url: req.url, headers, redirect: req.enable_redirect === true ? "follow" : "manual", timeoutMs: 5_000 };
  if (typeof req.raw_body === "string") wire.body = req.raw_body;
  else if (req.body !== undefined) wire.body = JSON.stringify(req.body);
  if (req.timeout !== undefined) {
    const ns = typeof req.timeout === "number" ? BigInt(Math.trunc(req.timeout)) : parseDuration(String(req.timeout));
    wire.timeoutMs = Math.max(1, Number(ns / 1_000_000n));
  }
  return wire;
}

function send(req: Record<string, Json>): Json {
  const wire = wireRequest(req);
  let res: { status: number; statusText: string; headers: Record<string, string[]>; text: string };
  try {
    res = callSync("http.send", FETCH, wire, wire.timeoutMs + 1_000);
  } catch (e) {
    if (req.raise_error === false) return { status_code: 0, error: { code: "eval_http_send_network_error", message: e instanceof Error ? e.message : String(e) } };
    throw e;
  }
  const out: Record<string, Json> = { status: `${res.status} ${res.statusText}`.trim(), status_code: res.status, headers: res.headers, raw_body: res.text, body: null };
  const json = (res.headers["content-type"] ?? []).some((t) => /\bjson\b/i.test(t));
  if (json || req.force_json_decode === true) {
    try {
      out.body = JSON.parse(res.text) as Json;
    } catch {
      out.body = null;
    }
  }
  return out;
}

export const httpSendBuiltins: HostBuiltinFamily = {
  // OPA keeps one response per request within a query.
  "http.send": (request) => {
    const req = obj("http.send", 0, request);
    return queryCached(`http.send\u0000${JSON.stringify(req)}`, () => send(req));
  },
};
