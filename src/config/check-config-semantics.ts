/**
 * Checks of a schema-valid configuration that a schema cannot express: unique names, references between
 * environments and clusters, promotion cycles and order, and paths claimed by two environments.
 */
import { Minimatch } from "minimatch";
import { GLOB_OPTIONS } from "../fleet/check-glob.js";
import { globRoot } from "../fleet/glob-root.js";
import type { ConfigDiagnosticCode, ConfigDiagnosticSeverity } from "./config-diagnostic.js";
import type { PathSegment } from "./parse-config-layer.js";
import type { FleetwardConfig } from "./schema.js";

export interface SemanticIssue {
  code: ConfigDiagnosticCode;
  severity: ConfigDiagnosticSeverity;
  /** Path of the offending value in the merged configuration. */
  path: PathSegment[];
  message: string;
}

export function formatConfigPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === "" ? "(root)" : out;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** ` (did you mean "x"?)` for the closest known name within an edit distance of 2, else "". */
export function suggestion(name: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best === null ? "" : ` (did you mean "${best}"?)`;
}

const PROBE = "fleetward-probe";

/** Sample paths inside a glob: the glob itself when literal, else files just under its literal root. */
function probesOf(glob: string): string[] {
  if (!/[*?[\]{}()!+@]/.test(glob)) return [glob];
  const root = globRoot(glob);
  return [`${root}${PROBE}.yaml`, `${root}${PROBE}/${PROBE}.yaml`, `${root}${PROBE}`];
}

/**
 * Whether two globs can match the same file, judged on probe paths: a file directly under one glob's
 * literal root, or one folder deeper, that the other glob also matches. Exact for the usual `dir/**` and
 * `dir/*.yaml` forms; globs with wildcards in the middle are judged by their literal prefix only.
 * `cache` lets a caller comparing many pairs compile each glob once.
 */
export function globsOverlap(a: string, b: string, cache: Map<string, Minimatch> = new Map()): boolean {
  // A file matched by both starts with both literal roots, so one root must be a prefix of the other.
  const ra = globRoot(a);
  const rb = globRoot(b);
  if (!ra.startsWith(rb) && !rb.startsWith(ra)) return false;
  const compiled = (g: string) => {
    let m = cache.get(g);
    if (!m) {
      m = new Minimatch(g, GLOB_OPTIONS);
      cache.set(g, m);
    }
    return m;
  };
  const ma = compiled(a);
  const mb = compiled(b);
  return probesOf(a).some((p) => mb.match(p) && ma.match(p)) || probesOf(b).some((p) => ma.match(p) && mb.match(p));
}

export function checkConfigSemantics(config: FleetwardConfig): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const globCache = new Map<string, Minimatch>();
  const push = (code: ConfigDiagnosticCode, path: PathSegment[], message: string, severity: ConfigDiagnosticSeverity = "error") =>
    issues.push({ code, severity, path, message: `${formatConfigPath(path)}: ${message}` });

  const envIndex = new Map<string, number>();
  config.environments.forEach((env, i) => {
    const first = envIndex.get(env.name);
    if (first !== undefined) {
      push("config_duplicate_name", ["environments", i, "name"], `duplicate environment name "${env.name}" (first defined at environments[${first}])`);
    } else {
      envIndex.set(env.name, i);
    }
  });
  const envNames = [...envIndex.keys()];

  const clusterIndex = new Map<string, number>();
  config.clusters.forEach((cluster, i) => {
    const first = clusterIndex.get(cluster.name);
    if (first !== undefined) {
      push("config_duplicate_name", ["clusters", i, "name"], `duplicate cluster name "${cluster.name}" (first defined at clusters[${first}])`);
    } else {
      clusterIndex.set(cluster.name, i);
    }
    if (!envIndex.has(cluster.environment)) {
      push(
        "config_unknown_environment",
        ["clusters", i, "environment"],
        `unknown environment "${cluster.environment}"${suggestion(cluster.environment, envNames)}`,
      );
    }
  });

  config.environments.forEach((env, i) => {
    if (env.promotedFrom === null) return;
    const from = envIndex.get(env.promotedFrom);
    if (from === undefined) {
      push(
        "config_unknown_environment",
        ["environments", i, "promotedFrom"],
        `unknown environment "${env.promotedFrom}"${suggestion(env.promotedFrom, envNames)}`,
      );
    } else if (from > i && envIndex.get(env.name) === i) {
      push(
        "config_promotion_order",
        ["environments", i, "promotedFrom"],
        `"${env.name}" is promoted from "${env.promotedFrom}", which is listed after it; list environments from the lowest to the highest`,
        "warning",
      );
    }
  });

  // Cycles: every environment has at most one parent, so walking parents either ends or loops.
  const parentOf = new Map<string, string>();
  config.environments.forEach((env) => {
    if (env.promotedFrom !== null && envIndex.has(env.promotedFrom) && !parentOf.has(env.name)) parentOf.set(env.name, env.promotedFrom);
  });
  const reported = new Set<string>();
  for (const env of config.environments) {
    const seen: string[] = [];
    let cursor: string | undefined = env.name;
    while (cursor !== undefined && !seen.includes(cursor)) {
      seen.push(cursor);
      cursor = parentOf.get(cursor);
    }
    if (cursor === undefined) continue;
    const cycle = seen.slice(seen.indexOf(cursor));
    if (cycle.some((n) => reported.has(n))) continue;
    cycle.forEach((n) => reported.add(n));
    // Report at the member listed first, showing the promotion direction.
    const first = [...cycle].sort((x, y) => (envIndex.get(x) ?? 0) - (envIndex.get(y) ?? 0))[0] ?? cursor;
    const order: string[] = [first];
    let c = parentOf.get(first);
    while (c !== undefined && c !== first) {
      order.push(c);
      c = parentOf.get(c);
    }
    const shown = [first, ...order.slice(1).reverse(), first].join(" → ");
    push("config_promotion_cycle", ["environments", envIndex.get(first) ?? 0, "promotedFrom"], `promotion cycle ${shown}`);
  }

  // Clusters must not reach into another environment's folders.
  config.clusters.forEach((cluster, ci) => {
    cluster.paths.forEach((glob, gi) => {
      for (const env of config.environments) {
        if (env.name === cluster.environment) continue;
        const hit = env.paths.find((envGlob) => globsOverlap(glob, envGlob, globCache));
        if (hit !== undefined) {
          push(
            "config_cluster_path_conflict",
            ["clusters", ci, "paths", gi],
            `cluster "${cluster.name}" belongs to environment "${cluster.environment}" but "${glob}" overlaps "${hit}" of environment "${env.name}"`,
          );
          break;
        }
      }
    });
  });

  // Two environments claiming the same files is almost always a mistake, but not fatal.
  config.environments.forEach((env, i) => {
    env.paths.forEach((glob, gi) => {
      for (let j = 0; j < i; j++) {
        const other = config.environments[j];
        if (!other || other.name === env.name) continue;
        const hit = other.paths.find((o) => globsOverlap(glob, o, globCache));
        if (hit !== undefined) {
          push(
            "config_environment_overlap",
            ["environments", i, "paths", gi],
            `"${glob}" overlaps "${hit}" of environment "${other.name}"; files there belong to both environments`,
            "warning",
          );
          break;
        }
      }
    });
  });
  return issues;
}
