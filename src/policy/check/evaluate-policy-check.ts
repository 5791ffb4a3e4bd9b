/**
 * Judges changed manifest files with policy sources: loads the manifests (with positions and limits), lets every
 * source evaluate every document, and applies the enforcement of each file's environment (or cluster) from the
 * fleet configuration. A YAML error in a changed manifest is a finding of rule `manifest_yaml_syntax` (or the
 * loader's other codes) under the same enforcement, since the file cannot be judged. Sources that read the
 * repository (`readsRepository`) also get every manifest document of the commit when the caller read the unchanged
 * manifest files (`repositoryFiles`, see pickRepositoryManifests). Pure apart from CPU work.
 */
import { effectiveSettings } from "../../config/effective-settings.js";
import type { FleetwardConfig } from "../../config/schema.js";
import { buildFleet } from "../../fleet/build-fleet.js";
import { classifyPath, type PathClassification } from "../../fleet/classify-path.js";
import { loadManifests } from "../manifests/load-manifests.js";
import type { ManifestDocument, ManifestFile, ManifestLimits } from "../manifests/manifest-types.js";
import type { PolicyAction, PolicyCheckReport, PolicyFinding, PolicyProblem, PolicySource, SourceContext } from "./policy-check-types.js";

export interface EvaluatePolicyCheckInput {
  config: FleetwardConfig;
  sources: readonly PolicySource[];
  /** Changed files as they are in the commit being judged (removed files left out). */
  changedFiles: readonly ManifestFile[];
  /** Paths that hold policy rather than manifests (`isPolicyPath`); they are not judged. */
  isPolicyPath: (path: string) => boolean;
  limits?: Partial<ManifestLimits>;
  /**
   * The commit's unchanged manifest files, for sources that read the repository; absent when they were not read
   * (the changed files then stand in). Files that do not load are left out of the repository's documents silently:
   * they are not judged.
   */
  repositoryFiles?: readonly ManifestFile[];
  /** Problems met while picking or reading them (e.g. `policy_inventory_too_large`), added to the report. */
  repositoryProblems?: readonly PolicyProblem[];
}

const STRENGTH: Record<PolicyAction, number> = { dryrun: 0, warn: 1, deny: 2 };

/** The weaker of what a policy asks for and what the environment enforces: a warn environment never fails. */
export function cappedAction(rule: PolicyAction, enforcement: PolicyAction): PolicyAction {
  return STRENGTH[rule] <= STRENGTH[enforcement] ? rule : enforcement;
}

interface FileScope {
  environment: string | null;
  enforcement: PolicyAction;
}

/**
 * The environment label and enforcement of a path: its clusters (`env/cluster`), else its environments, else the
 * repository settings. A file claimed by several scopes gets the strictest enforcement among them.
 */
export function scopeOfPath(config: FleetwardConfig, fleet: ReturnType<typeof buildFleet>, path: string): FileScope {
  return scopeOfClassification(config, classifyPath(fleet, path));
}

function scopeOfClassification(config: FleetwardConfig, c: Pick<PathClassification, "clusters" | "environments">): FileScope {
  const known = new Set(config.environments.map((e) => e.name));
  const scopes: Array<{ label: string; environment?: string; cluster?: string }> = [];
  for (const cluster of c.clusters) {
    const env = config.clusters.find((x) => x.name === cluster)?.environment;
    if (env !== undefined && known.has(env)) scopes.push({ label: `${env}/${cluster}`, environment: env, cluster });
  }
  for (const env of c.environments) {
    if (known.has(env) && !scopes.some((s) => s.environment === env)) scopes.push({ label: env, environment: env });
  }
  if (scopes.length === 0) return { environment: null, enforcement: config.settings.policy.enforcement };
  let enforcement: PolicyAction = "dryrun";
  for (const s of scopes) {
    const scope = s.cluster !== undefined ? { environment: s.environment as string, cluster: s.cluster } : { environment: s.environment as string };
    const e = effectiveSettings(config, scope).policy.enforcement;
    if (STRENGTH[e] > STRENGTH[enforcement]) enforcement = e;
  }
  return { environment: scopes.map((s) => s.label).join(", "), enforcement };
}

/** `scopeOfClassification` remembered per set of clusters and environments: thousands of files share a few scopes. */
function scopeCache(config: FleetwardConfig): (c: PathClassification) => FileScope {
  const cache = new Map<string, FileScope>();
  return (c) => {
    const key = `${c.clusters.join("\n")}\t${c.environments.join("\n")}`;
    let scope = cache.get(key);
    if (scope === undefined) cache.set(key, (scope = scopeOfClassification(config, c)));
    return scope;
  };
}

export async function evaluatePolicyCheck(input: EvaluatePolicyCheckInput): Promise<PolicyCheckReport> {
  const fleet = buildFleet(input.config);
  const scopes = new Map<string, FileScope>();
  const judged: ManifestFile[] = [];
  const scopeOf = scopeCache(input.config);
  for (const f of input.changedFiles) {
    if (input.isPolicyPath(f.path)) continue;
    const c = classifyPath(fleet, f.path);
    if (!c.manifest) continue;
    judged.push(f);
    scopes.set(f.path, scopeOf(c));
  }
  // The files were chosen above (manifests.include/exclude); the loader takes them all, dotfiles included.
  const loaded = loadManifests(judged, { include: ["**"], dot: true, ...(input.limits ? { limits: input.limits } : {}) });
  // Documents per file, counted once (a filter per file was quadratic: 14–17% of a 10,000-file check).
  const documentsOf = new Map<string, number>();
  for (const d of loaded.documents) documentsOf.set(d.file, (documentsOf.get(d.file) ?? 0) + 1);
  const report: PolicyCheckReport = {
    findings: [],
    problems: [],
    files: judged.map((f) => ({
      path: f.path,
      environment: scopes.get(f.path)?.environment ?? null,
      documents: documentsOf.get(f.path) ?? 0,
    })),
    sources: input.sources.map((s) => `${s.kind}: ${s.description}`),
    evaluations: 0,
  };
  const add = (f: Omit<PolicyFinding, "environment" | "ruleAction">) => {
    const scope = scopes.get(f.file) ?? { environment: null, enforcement: input.config.settings.policy.enforcement };
    report.findings.push({ ...f, ruleAction: f.action, action: cappedAction(f.action, scope.enforcement), environment: scope.environment });
  };
  for (const d of loaded.diagnostics) {
    if (d.severity === "error") add({ source: "manifests", file: d.file, line: d.line, column: d.column, rule: d.code, message: d.message, action: "deny" });
    else report.problems.push({ code: d.code, severity: "warning", message: d.message, file: d.file, line: d.line, column: d.column });
  }
  report.problems.push(...(input.repositoryProblems ?? []));
  let context: SourceContext | undefined;
  if (input.repositoryFiles !== undefined && input.sources.some((s) => s.readsRepository === true)) {
    const judgedPaths = new Set(judged.map((f) => f.path));
    const others = input.repositoryFiles.filter((f) => !judgedPaths.has(f.path) && !input.isPolicyPath(f.path) && classifyPath(fleet, f.path).manifest);
    const repository: ManifestDocument[] = [...loaded.documents];
    repository.push(...loadManifests(others, { include: ["**"], dot: true, ...(input.limits ? { limits: input.limits } : {}) }).documents);
    context = { repository };
  }
  for (const source of input.sources) {
    report.problems.push(...source.problems);
    if (source.problems.some((p) => p.severity === "error")) continue;
    const result = await source.evaluate(loaded.documents, source.readsRepository === true ? context : undefined);
    report.evaluations += result.evaluations;
    report.problems.push(...result.problems);
    for (const f of result.findings) add({ ...f, source: source.kind });
  }
  const order = new Map(judged.map((f, i) => [f.path, i]));
  report.findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return report;
}
