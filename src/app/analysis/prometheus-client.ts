/**
 * A small client of Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), also Thanos Query and
 * Mimir (a base URL with a path prefix such as `/prometheus`, extra headers such as `X-Scope-OrgID`): bearer or
 * basic credentials, a timeout per request, bounded retries with backoff on network errors, 429 and 5xx.
 * Errors are `PrometheusError`s whose message starts with `prometheus "<name>"`.
 */
import type { PrometheusServer } from "./prometheus-servers.js";
import { messageOf } from "./prometheus-servers.js";

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  values: { time: number; value: number }[];
}

export type PrometheusErrorKind = "unreachable" | "http" | "query" | "response";

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  fetch?: typeof fetch;
  /** Wait before retry n (0-based); default 250 ms × 2ⁿ. */
  backoffMs?: (attempt: number) => number;
}

function authHeader(server: PrometheusServer): Record<string, string> {
  if (!server.auth) return {};
  if ("bearer" in server.auth) return { authorization: `Bearer ${server.auth.bearer}` };
  return { authorization: `Basic ${Buffer.from(`${server.auth.username}:${server.auth.password}`).toString("base64")}` };
}

function sampleValue(v: unknown): number {
  // Prometheus encodes sample values as strings ("NaN", "+Inf" included).
  if (!Array.isArray(v) || typeof v[1] !== "string") throw new Error("sample is not [time, \"value\"]");
  return v[1] === "+Inf" ? Infinity : v[1] === "-Inf" ? -Infinity : Number(v[1]);
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

interface ApiBody {
  status?: string;
  data?: unknown;
  error?: string;
  errorType?: string;
}

function parseApiBody(body: string): ApiBody | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null ? (value as ApiBody) : null;
  } catch {
    return null;
  }
}

async function post(server: PrometheusServer, path: string, form: Record<string, string>, options: ClientOptions): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const backoff = options.backoffMs ?? ((n) => 250 * 2 ** n);
  const who = `prometheus "${server.name}"`;
  let last: PrometheusError = new PrometheusError("unreachable", `${who} unreachable`);
  for (let attempt = 0; attempt <= server.retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, backoff(attempt - 1)));
    let res: Response;
    try {
      res = await doFetch(`${server.url}${path}`, {
        method: "POST",
        headers: { ...server.headers, ...authHeader(server), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(server.timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      const { name, cause } = (typeof error === "object" && error !== null ? error : {}) as { name?: unknown; cause?: unknown };
      const timedOut = name === "TimeoutError" || name === "AbortError";
      const reason = cause !== undefined ? messageOf(cause) : messageOf(error);
      last = new PrometheusError("unreachable", `${who} unreachable: ${timedOut ? `no answer within ${server.timeoutMs} ms` : reason}`);
      continue;
    }
    const body = await res.text().catch(() => "");
    const json = parseApiBody(body);
    if (res.status === 400 || res.status === 422) {
      throw new PrometheusError("query", `${who} rejected the query: ${json?.errorType ?? res.status}: ${json?.error ?? body.slice(0, 200)}`);
    }
    if (!res.ok) {
      last = new PrometheusError("http", `${who} answered HTTP ${res.status}${json?.error ? `: ${json.error}` : ""}`);
      if (RETRYABLE(res.status)) continue;
      throw last;
    }
    if (json?.status !== "success") throw new PrometheusError("response", `${who} answered without success: ${json?.error ?? body.slice(0, 200)}`);
    return json.data;
  }
  throw last;
}

function labelsOf(x: unknown): Record<string, string> {
  const m = (x as { metric?: unknown }).metric;
  return typeof m === "object" && m !== null ? (m as Record<string, string>) : {};
}

/** An instant query; a scalar answer becomes one series without labels. */
export async function queryInstant(server: PrometheusServer, query: string, options: ClientOptions = {}, time?: Date): Promise<Sample[]> {
  const data = (await post(server, "/api/v1/query", { query, ...(time ? { time: String(time.getTime() / 1000) } : {}) }, options)) as { resultType?: string; result?: unknown };
  try {
    if (data.resultType === "scalar") return [{ labels: {}, value: sampleValue(data.result) }];
    if (data.resultType !== "vector" || !Array.isArray(data.result)) throw new Error(`expected a vector, got ${data.resultType ?? "nothing"}`);
    return data.result.map((r: unknown) => ({ labels: labelsOf(r), value: sampleValue((r as { value?: unknown }).value) }));
  } catch (error) {
    throw new PrometheusError("response", `prometheus "${server.name}" answered an unexpected result: ${messageOf(error)}`);
  }
}

/** A range query from `start` to `end` every `stepSeconds`. */
export async function queryRange(server: PrometheusServer, query: string, range: { start: Date; end: Date; stepSeconds: number }, options: ClientOptions = {}): Promise<RangeSeries[]> {
  const form = { query, start: String(range.start.getTime() / 1000), end: String(range.end.getTime() / 1000), step: String(range.stepSeconds) };
  const data = (await post(server, "/api/v1/query_range", form, options)) as { resultType?: string; result?: unknown };
  try {
    if (data.resultType !== "matrix" || !Array.isArray(data.result)) throw new Error(`expected a matrix, got ${data.resultType ?? "nothing"}`);
    return data.result.map((r: unknown) => ({
      labels: labelsOf(r),
      values: ((r as { values?: unknown[] }).values ?? []).map((v) => ({ time: Number((v as unknown[])[0]), value: sampleValue(v) })),
    }));
  } catch (error) {
    throw new PrometheusError("response", `prometheus "${server.name}" answered an unexpected result: ${messageOf(error)}`);
  }
}
