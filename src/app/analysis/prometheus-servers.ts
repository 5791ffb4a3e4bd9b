/**
 * The Prometheus servers the app may ask, defined on the app's side only: `FLEETWARD_PROMETHEUS_SERVERS` (JSON)
 * or the file `FLEETWARD_PROMETHEUS_SERVERS_FILE` (a mounted secret), name → `{ url, auth?, headers?, timeout? }`.
 * A repository's configuration names a server; it can never supply an address.
 *
 *   {"prod-eu": {"url": "https://thanos.example.com", "auth": {"bearer": "…"}},
 *    "mimir":   {"url": "https://mimir.example.com/prometheus", "headers": {"X-Scope-OrgID": "team-a"},
 *                "auth": {"username": "u", "password": "p"}}}
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseDuration } from "../../config/parse-duration.js";

const serverSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" }),
  auth: z
    .union([z.strictObject({ bearer: z.string().min(1) }), z.strictObject({ username: z.string().min(1), password: z.string() })])
    .optional(),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, { error: "header names are letters, digits and '-'" }), z.string()).default({}),
  timeout: z.string().refine((t) => parseDuration(t).ok, { error: "timeout is a duration such as 10s" }).default("10s"),
  retries: z.int().min(0).max(5).default(2),
});

export type PrometheusServer = z.output<typeof serverSchema> & { name: string; timeoutMs: number };

export type ServerRegistry = ReadonlyMap<string, PrometheusServer>;

/** The message of anything thrown (errors of Node's own realm are not always `instanceof Error` in a test VM). */
export function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  return String(error);
}

export class ServerRegistryError extends Error {
  readonly code = "prometheus_servers_invalid";
}

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Parses the registry's JSON; `source` names where it came from in errors. Throws `ServerRegistryError`. */
export function parseServerRegistry(text: string, source: string): ServerRegistry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ServerRegistryError(`${source}: not JSON: ${messageOf(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ServerRegistryError(`${source}: expected an object of server name → {url, auth}`);
  const out = new Map<string, PrometheusServer>();
  for (const [name, raw] of Object.entries(value)) {
    if (!NAME_RE.test(name)) throw new ServerRegistryError(`${source}: server name "${name}" uses letters, digits, '-', '_' and '.' (at most 63)`);
    const parsed = serverSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ServerRegistryError(`${source}: server "${name}": ${issue ? `${issue.path.join(".") || "(server)"}: ${issue.message}` : "invalid"}`);
    }
    const timeout = parseDuration(parsed.data.timeout);
    out.set(name, { ...parsed.data, name, url: parsed.data.url.replace(/\/+$/, ""), timeoutMs: timeout.ok ? timeout.ms : 10_000 });
  }
  return out;
}

/** The registry from the environment: the variable wins over the file; neither: no servers. Throws `ServerRegistryError`. */
export function serverRegistryFromEnv(env: NodeJS.ProcessEnv = process.env): ServerRegistry {
  const inline = env.FLEETWARD_PROMETHEUS_SERVERS;
  if (inline !== undefined && inline.trim() !== "") return parseServerRegistry(inline, "FLEETWARD_PROMETHEUS_SERVERS");
  const file = env.FLEETWARD_PROMETHEUS_SERVERS_FILE;
  if (file === undefined || file.trim() === "") return new Map();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ServerRegistryError(`FLEETWARD_PROMETHEUS_SERVERS_FILE ${file}: ${messageOf(error)}`);
  }
  return parseServerRegistry(text, file);
}

/** The names the app defines, for the configuration check (an unreadable registry defines none). */
export function prometheusServerNames(env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return [...serverRegistryFromEnv(env).keys()];
  } catch {
    return [];
  }
}
