/**
 * The bundled Conftest policies (`policies/conftest`: images, operations, security, over `lib.kubernetes`) written as
 * a plain TypeScript loop, for `bench/check-scale.bench.ts`: the baseline `fleetward test` is compared with. It reads
 * and decodes the files the same way (go-yaml v2 dialect) and builds the same results, in Conftest's order (rules by
 * first definition, each rule's messages sorted as a Rego set is), so its JSON output is byte-identical to
 * `fleetward test -o json` on the same files: the bench checks that before timing.
 */
import { readFile } from "node:fs/promises";
import { loadAll } from "js-yaml";
import { GO_YAML_V2_SCHEMA } from "../src/policy/manifests/go-yaml-dialect.js";
import type { ConftestCheckResult, ConftestResult } from "../src/policy/conftest/conftest-types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : isObj(v) ? Object.values(v) : []);
const get = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"]);

function podSpec(doc: Obj): unknown {
  if (doc.kind === "Pod") return doc.spec;
  if (typeof doc.kind === "string" && WORKLOADS.has(doc.kind)) return get(doc, "spec", "template", "spec");
  if (doc.kind === "CronJob") return get(doc, "spec", "jobTemplate", "spec", "template", "spec");
  return undefined;
}

function imageTag(image: string): string | undefined {
  const last = image.split("/").pop() ?? "";
  if (!last.includes(":")) return undefined;
  return last.split(":").pop();
}

/** The rules of `main`, in Conftest's order, each giving its set of messages for one document. */
function rules(doc: Obj): Array<[string, Set<string>]> {
  const spec = podSpec(doc);
  const name = get(doc, "metadata", "name");
  const ref = `${String(doc.kind)} '${typeof name === "string" ? name : ""}'`;
  const containers = ["containers", "initContainers", "ephemeralContainers"].flatMap((f) => list(get(spec, f))).filter(isObj);
  const latest = new Set<string>();
  const untagged = new Set<string>();
  const privileged = new Set<string>();
  for (const c of containers) {
    if (get(c, "securityContext", "privileged") === true) privileged.add(`${ref}: container '${String(c.name)}' runs privileged`);
    if (typeof c.image !== "string" || c.image.includes("@")) continue;
    const tag = imageTag(c.image);
    if (tag === "latest") latest.add(`${ref}: container '${String(c.name)}' uses the latest tag (${c.image})`);
    if (tag === undefined) untagged.add(`${ref}: container '${String(c.name)}' has an image without a tag (${c.image})`);
  }
  const resources = new Set<string>();
  for (const field of ["containers", "initContainers"]) {
    for (const c of list(get(spec, field)).filter(isObj)) {
      for (const kind of ["requests", "limits"]) {
        for (const resource of ["cpu", "memory"]) {
          const v = get(c, "resources", kind, resource);
          if (v === undefined || v === false) resources.add(`${ref}: container '${String(c.name)}' has no ${resource} ${kind.slice(0, -1)}`);
        }
      }
    }
  }
  const probes = new Set<string>();
  if (doc.kind === "Deployment" || doc.kind === "StatefulSet" || doc.kind === "DaemonSet") {
    for (const c of list(get(spec, "containers")).filter(isObj)) {
      for (const probe of ["readinessProbe", "livenessProbe"]) {
        if (c[probe] === undefined || c[probe] === false) probes.add(`${ref}: container '${String(c.name)}' has no ${probe}`);
      }
    }
  }
  const host = new Set<string>();
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (get(spec, field) === true) host.add(`${ref}: ${field} is not allowed`);
  const hostPaths = new Set<string>();
  for (const v of list(get(spec, "volumes"))) {
    const path = get(v, "hostPath", "path");
    if (path !== undefined) hostPaths.add(`${ref}: volume '${String(get(v, "name"))}' mounts the host path ${String(path)}`);
  }
  return [
    ["deny_latest_tag", latest],
    ["deny_untagged_image", untagged],
    ["deny_missing_resources", resources],
    ["warn_missing_probes", probes],
    ["deny_privileged", privileged],
    ["deny_host_namespace", host],
    ["deny_host_path", hostPaths],
  ];
}

/** One CheckResult per file (namespace `main`), as `fleetward test` reports them. */
export async function conftestByHand(paths: readonly string[]): Promise<ConftestCheckResult[]> {
  const out: ConftestCheckResult[] = [];
  for (const path of paths) {
    const docs = loadAll(await readFile(path, "utf8"), { filename: path, schema: GO_YAML_V2_SCHEMA }).filter((d) => d !== null && d !== undefined);
    const result: ConftestCheckResult = { filename: path, namespace: "main", successes: 0, warnings: [], failures: [], exceptions: [] };
    for (const doc of docs) {
      for (const [rule, messages] of isObj(doc) ? rules(doc) : []) {
        if (messages.size === 0) result.successes++;
        const sorted: ConftestResult[] = [...messages].sort().map((msg) => ({ msg, rule }));
        (rule.startsWith("warn") ? result.warnings : result.failures).push(...sorted);
      }
      if (!isObj(doc)) result.successes += 7;
    }
    out.push(result);
  }
  return out;
}
