/**
 * Builtins whose result depends on the world outside the policy and its input: `http.send` (network requests),
 * `net.lookup_ip_addr` (DNS) and `opa.runtime` (the process environment). The `fleetward` CLI runs them; in the app,
 * where pull-request authors write the Rego, a policy calling one is refused (`policy_effect_refused`, at the call's
 * file:line) unless the server allows it: `FLEETWARD_POLICY_ALLOW_EFFECTS=true` allows all three, and
 * `FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS` allows `http.send` calls whose request is an object literal with a literal
 * `url` on one of those hosts (a computed URL cannot be checked before it runs, so it stays refused). Calls replaced
 * with `with http.send as …` (mocks in tests) are not calls and are not refused. The checks are pure; the environment
 * is read only by `serverEffectsPolicy`, the default of the planners when no policy is passed.
 */
import { operatorName } from "../../rego/check/term-utils.js";
import type { CallTerm, RegoVersion } from "../../rego/parser/nodes.js";
import { parseModule } from "../../rego/parser/parse-module.js";

export interface EffectsPolicy {
  /** Every effectful builtin may run. */
  allowEffects: boolean;
  /** Hosts `http.send` may call with a literal URL (lower case, no port), when effects are not all allowed. */
  httpAllowedHosts: readonly string[];
}

/** The CLI's policy: everything runs, as with opa. */
export const ALLOW_ALL_EFFECTS: EffectsPolicy = { allowEffects: true, httpAllowedHosts: [] };
/** Nothing runs. */
export const REFUSE_EFFECTS: EffectsPolicy = { allowEffects: false, httpAllowedHosts: [] };

/**
 * The server's setting, for planners called without an explicit policy (the sandbox jobs): read from the process
 * environment each call (cheap), so that a worker thread sees the server's variables. Callers that know better (the
 * CLI, tests) pass their own.
 */
export function serverEffectsPolicy(): EffectsPolicy {
  return effectsPolicyFromEnv(process.env);
}

export const EFFECTFUL_BUILTINS: readonly string[] = ["http.send", "net.lookup_ip_addr", "opa.runtime"];

export interface EffectProblem {
  code: "policy_effect_refused";
  builtin: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** The server's setting from the environment (`true`/`1`/`yes` allow; hosts comma-separated). */
export function effectsPolicyFromEnv(env: Readonly<Record<string, string | undefined>>): EffectsPolicy {
  const allow = /^(true|1|yes)$/i.test((env.FLEETWARD_POLICY_ALLOW_EFFECTS ?? "").trim());
  const hosts = (env.FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  return { allowEffects: allow, httpAllowedHosts: hosts };
}

function literalUrlHost(call: CallTerm): string | undefined {
  const request = call.args[0];
  if (request?.type !== "Object") return undefined;
  const url = request.entries.find((e) => e.key.type === "String" && e.key.value === "url")?.value;
  if (url?.type !== "String") return undefined;
  try {
    return new URL(url.value).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function refusal(call: CallTerm, builtin: string, policy: EffectsPolicy): string | undefined {
  if (policy.allowEffects) return undefined;
  const server = "the server does not allow builtins with effects in pull-request policies (FLEETWARD_POLICY_ALLOW_EFFECTS)";
  if (builtin !== "http.send") return `${builtin} is refused: ${server}`;
  if (policy.httpAllowedHosts.length === 0) return `http.send is refused: ${server}`;
  const host = literalUrlHost(call);
  if (host === undefined) return `http.send is refused: only a request object with a literal url on an allowed host (FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS) may run`;
  if (!policy.httpAllowedHosts.includes(host)) return `http.send to ${host} is refused: the host is not in FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS`;
  return undefined;
}

/** Every Call node of a parsed module, wherever it sits (heads, bodies, else, comprehensions, function bodies). */
function forEachCall(node: unknown, fn: (c: CallTerm) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) forEachCall(n, fn);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const t = node as { type?: unknown };
  if (t.type === "Call") fn(node as CallTerm);
  for (const [key, value] of Object.entries(node)) if (key !== "span") forEachCall(value, fn);
}

/**
 * The refused effectful calls of one Rego text (a module, or a template's Rego or lib). A text that does not parse
 * gives nothing here: its parse errors are reported by the compile step.
 */
export function findRefusedEffects(module: { file: string; text: string }, policy: EffectsPolicy, regoVersion: RegoVersion = "v1"): EffectProblem[] {
  if (policy.allowEffects) return [];
  const parsed = parseModule(module.text, { file: module.file, regoVersion });
  if (parsed.module === undefined) return [];
  const out: EffectProblem[] = [];
  forEachCall(parsed.module, (call) => {
    const name = operatorName(call.operator);
    if (name === undefined || !EFFECTFUL_BUILTINS.includes(name)) return;
    const message = refusal(call, name, policy);
    if (message === undefined) return;
    out.push({ code: "policy_effect_refused", builtin: name, message, file: module.file, line: call.span.start.line, column: call.span.start.column });
  });
  return out;
}

