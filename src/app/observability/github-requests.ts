/**
 * Every GitHub API call the app makes, seen from an Octokit plugin (`instrumentOctokit`): counted by route class
 * and status class, the rate limit remaining per installation, and a client span under the active span.
 */
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ProbotOctokit } from "probot";
import { type FleetwardMetrics, metrics as sharedMetrics } from "./metrics-registry.js";
import { tracer } from "./tracing.js";

interface RequestOptions {
  method?: string;
  url?: string;
}

/**
 * `GET /repos/{owner}/{repo}/pulls`: the method and Octokit's URL template. A full URL (a pagination link) is cut
 * to its path, without the GitHub Enterprise `/api/v3` prefix, with owner/repo and numeric or SHA segments as
 * placeholders, so no name, number or SHA becomes a label value.
 */
export function routeClass(options: RequestOptions): string {
  const method = (options.method ?? "GET").toUpperCase();
  const url = options.url ?? "";
  if (!/^https?:\/\//i.test(url)) return `${method} ${url.split("?")[0]}`;
  const segments = new URL(url).pathname.replace(/^\/api\/v3(?=\/)/, "").split("/");
  if (segments[1] === "repos" && segments.length > 3) segments.splice(2, 2, "{owner}", "{repo}");
  const path = segments.map((s) => (/^\d+$/.test(s) ? "{id}" : /^[0-9a-f]{40}$/i.test(s) ? "{sha}" : s)).join("/");
  return `${method} ${path}`;
}

/** `2xx`, `4xx`, …; `error` when no response came (network, timeout). */
export function statusClass(status: unknown): string {
  return typeof status === "number" && status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "error";
}

function header(headers: unknown, name: string): string | undefined {
  const value = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

type OctokitLike = { hook: { wrap: (name: "request", wrapper: (request: (options: RequestOptions) => Promise<unknown>, options: RequestOptions) => Promise<unknown>) => void } };

/** The Octokit plugin: wraps each request of an instance (app-level or one installation's). */
export function githubRequestPlugin(target: FleetwardMetrics = sharedMetrics) {
  return (octokit: OctokitLike, options: { auth?: unknown }) => {
    const id = (options.auth as { installationId?: unknown } | undefined)?.installationId;
    const installation = typeof id === "number" || typeof id === "string" ? String(id) : "app";
    octokit.hook.wrap("request", async (request, requestOptions) => {
      const route = routeClass(requestOptions);
      return tracer().startActiveSpan(`GitHub ${route}`, { kind: SpanKind.CLIENT, attributes: { "http.request.method": requestOptions.method ?? "GET", "http.route": route, "fleetward.installation": installation } }, async (span) => {
        let status: unknown;
        let headers: unknown;
        try {
          const response = (await request(requestOptions)) as { status?: unknown; headers?: unknown };
          ({ status, headers } = response);
          return response;
        } catch (error) {
          const failed = error as { status?: unknown; response?: { headers?: unknown } };
          status = failed.status;
          headers = failed.response?.headers;
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          target.githubRequests.inc({ route, status: statusClass(status) });
          const remaining = Number(header(headers, "x-ratelimit-remaining"));
          if (header(headers, "x-ratelimit-remaining") !== undefined && Number.isFinite(remaining)) target.githubRateLimitRemaining.set({ installation }, remaining);
          if (typeof status === "number") span.setAttribute("http.response.status_code", status);
          span.end();
        }
      });
    });
  };
}

/** `Base` with the request plugin (for Probot's `Octokit` option). */
export function instrumentOctokit<T extends typeof ProbotOctokit>(Base: T, target: FleetwardMetrics = sharedMetrics): T {
  return Base.plugin(githubRequestPlugin(target) as unknown as Parameters<T["plugin"]>[0]) as unknown as T;
}
