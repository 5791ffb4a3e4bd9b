/**
 * The `fleetward/policy` check run of a pull request, planned from plain data: the configuration and policy files
 * of the base commit (OPA bundles as bytes), the changed manifest files of the head (and, for Gatekeeper templates
 * that read `data.inventory`, the head's other manifests), the bundled library. Failure when any finding is
 * enforced as `deny` or a policy cannot be used (compile errors, invalid constraints); success otherwise, with
 * warnings listed. Annotations: `deny` → failure, `warn` → warning; `dryrun` findings are only listed in the
 * summary. No I/O: the caller reads the files and publishes the plan.
 */
import type { CheckAnnotation, CheckRunPlan } from "../../checks/check-run-plan.js";
import type { FleetwardConfig } from "../../config/schema.js";
import type { ManifestFile } from "../manifests/manifest-types.js";
import { kustomizeRenderer } from "../render/kustomize-renderer.js";
import { addRenderedFindings, renderForPolicyCheck } from "../render/render-policy-check.js";
import type { RenderInputs } from "../render/render-pull-request.js";
import type { Renderer } from "../render/render-roots.js";
import { collectPolicySources, isPolicyPath, type LibraryPolicy } from "./collect-policy-sources.js";
import { evaluatePolicyCheck } from "./evaluate-policy-check.js";
import type { PolicyCheckReport, PolicyFinding, PolicyProblem, PolicySource } from "./policy-check-types.js";
import { POLICY_CHECK_NAME } from "./check-names.js";

export { POLICY_CHECK_NAME };

/** Where the policies come from: the base commit's policy files (and bundles), or sources already built from them. */
export type PolicyCheckPolicies =
  | {
      /** Files of the base commit under the policy paths (`isPolicyPath`), path → text. */
      policyFiles: ReadonlyMap<string, string>;
      library: readonly LibraryPolicy[];
      /** The base commit's OPA bundles (`policies.bundles`), path → bytes. */
      bundleFiles?: ReadonlyMap<string, Uint8Array>;
    }
  | {
      /** Sources built earlier from the same policy files (a cache). */
      sources: readonly PolicySource[];
    };

export type PlanPolicyCheckInput = PolicyCheckPolicies & {
  /** The configuration of the base commit. */
  config: FleetwardConfig;
  headSha: string;
  /** Changed files as they are at the head (removed files left out). */
  changedFiles: readonly ManifestFile[];
  /** The head's unchanged manifest files picked by `pickRepositoryManifests`, when a source reads the repository. */
  repositoryFiles?: readonly ManifestFile[];
  /** The problems `pickRepositoryManifests` reported. */
  repositoryProblems?: readonly PolicyProblem[];
  /**
   * Kustomize rendering (`render:`, see src/policy/render/): the head's (and base's) files renders may read and the
   * paths the pull request touches. Changed files inside kustomization folders are then judged as their roots render
   * them, and the plan includes the `fleetward/render` check run.
   */
  render?: RenderInputs;
  /** The renderer (default: Fleetward's Kustomize); unit tests pass a stand-in. Not structured-cloneable. */
  renderer?: Renderer;
};

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `file:line: [env] rule: message`, the line form of a finding (the CLI prints these). */
export function formatPolicyFinding(f: PolicyFinding): string {
  return `${f.file}:${f.line}: [${f.environment ?? "-"}] ${f.rule}: ${f.message}`;
}

/** Counts of a report: findings by enforced action, and policy errors. */
export function policyCheckCounts(report: PolicyCheckReport): { deny: number; warn: number; dryrun: number; errors: number } {
  const count = (a: PolicyFinding["action"]) => report.findings.filter((f) => f.action === a).length;
  return { deny: count("deny"), warn: count("warn"), dryrun: count("dryrun"), errors: report.problems.filter((p) => p.severity === "error").length };
}

/** "Rendered 3 Kustomize roots: `envs/dev` (dev, 4 objects), …", the summary's line on the judged roots. */
function renderedRootsLine(roots: NonNullable<PolicyCheckReport["roots"]>): string {
  const each = roots.map((r) => `\`${r.dir === "" ? "." : r.dir}\` (${r.label}, ${r.ok ? plural(r.objects, "object") : "cannot be rendered"})`);
  return `Judged the objects of ${plural(roots.length, "Kustomize root")} the change affects, as rendered at the head: ${each.join(", ")}.`;
}

/** The check run for a report. Pure. */
export function policyCheckRun(report: PolicyCheckReport, headSha: string): CheckRunPlan {
  const counts = policyCheckCounts(report);
  const judged = new Set(report.files.map((f) => f.path));
  const annotations: CheckAnnotation[] = [];
  for (const f of report.findings) {
    if (f.action === "dryrun") continue;
    annotations.push({
      path: f.file,
      startLine: f.line,
      endLine: f.line,
      level: f.action === "deny" ? "failure" : "warning",
      title: `${f.rule} (${f.action}${f.environment ? `, ${f.environment}` : ""})`,
      message: f.message,
    });
  }
  // Problems inside the changed manifests (and renders) are annotated; problems of the base's policy files are listed only.
  const annotated = (p: PolicyProblem) => judged.has(p.file) || p.code.startsWith("render_");
  for (const p of report.problems) {
    if (!annotated(p)) continue;
    annotations.push({ path: p.file, startLine: p.line, endLine: p.line, level: p.severity === "error" ? "failure" : "warning", title: p.code, message: p.message });
  }

  const failed = counts.deny > 0 || counts.errors > 0;
  const title =
    counts.errors > 0
      ? `${plural(counts.errors, "policy error")}${counts.deny > 0 ? `, ${counts.deny} denied` : ""}`
      : counts.deny > 0
        ? `${plural(counts.deny, "violation")} denied${counts.warn > 0 ? `, ${plural(counts.warn, "warning")}` : ""}`
        : counts.warn > 0
          ? `Passed with ${plural(counts.warn, "warning")}`
          : "No policy violations";

  const lines: string[] = [];
  const documents = report.files.reduce((n, f) => n + f.documents, 0);
  lines.push(
    `Judged ${plural(report.files.length, "changed manifest file")} (${plural(documents, "document")}) with the policies of the base branch: ` +
      `${counts.deny} denied, ${counts.warn} warned, ${counts.dryrun} dry-run.`,
  );
  if (report.roots !== undefined && report.roots.length > 0) lines.push("", renderedRootsLine(report.roots));
  if (report.sources.length > 0) {
    lines.push("", "Policies:", "");
    for (const s of report.sources) lines.push(`- ${s}`);
  } else {
    lines.push("", "No policies are configured (see `policies` in `.github/fleetward.yml`).");
  }
  const problems = report.problems.filter((p) => !annotated(p));
  if (problems.length > 0) {
    lines.push("", "### Policy problems", "", "| Where | Code | Problem |", "| --- | --- | --- |");
    for (const p of problems) lines.push(`| \`${escapeCell(p.file)}:${p.line}\` | ${p.code} | ${escapeCell(p.message)} |`);
  }
  if (report.findings.length > 0) {
    lines.push("", "### Violations by file and rule", "", "| File | Environment | Rule | Enforced as | Count |", "| --- | --- | --- | --- | --- |");
    const rows = new Map<string, { f: PolicyFinding; n: number }>();
    for (const f of report.findings) {
      const key = JSON.stringify([f.file, f.environment, f.rule, f.action]);
      const row = rows.get(key);
      if (row === undefined) rows.set(key, { f, n: 1 });
      else row.n++;
    }
    for (const { f, n } of rows.values()) {
      const action = f.action === f.ruleAction ? f.action : `${f.action} (policy: ${f.ruleAction})`;
      lines.push(`| \`${escapeCell(f.file)}\` | ${escapeCell(f.environment ?? "—")} | ${escapeCell(f.rule)} | ${action} | ${n} |`);
    }
  }
  const text = report.findings.length > 0 ? ["```", ...report.findings.map((f) => `${f.action.toUpperCase().padEnd(6)} ${formatPolicyFinding(f)}`), "```"].join("\n") : undefined;
  return {
    name: POLICY_CHECK_NAME,
    headSha,
    conclusion: failed ? "failure" : "success",
    title,
    summary: lines.join("\n"),
    ...(text !== undefined ? { text } : {}),
    annotations,
  };
}

/** Collects the sources (unless given), judges the changed files and the roots they render, and plans the check run(s). */
export async function planPolicyCheck(input: PlanPolicyCheckInput): Promise<{ plan: CheckRunPlan; report: PolicyCheckReport; renderPlan?: CheckRunPlan }> {
  const sources =
    "sources" in input
      ? input.sources
      : collectPolicySources({
          policies: input.config.policies,
          files: input.policyFiles,
          library: input.library,
          ...(input.bundleFiles !== undefined ? { bundleFiles: input.bundleFiles } : {}),
        });
  const rendering = renderForPolicyCheck({ config: input.config, inputs: input.render, headSha: input.headSha, renderer: input.renderer ?? kustomizeRenderer });
  const report = await evaluatePolicyCheck({
    config: input.config,
    sources,
    changedFiles: rendering === undefined ? input.changedFiles : input.changedFiles.filter((f) => !rendering.rendered.isRendered(f.path)),
    isPolicyPath: isPolicyPath(input.config.policies),
    ...(input.repositoryFiles !== undefined ? { repositoryFiles: input.repositoryFiles } : {}),
    ...(input.repositoryProblems !== undefined ? { repositoryProblems: input.repositoryProblems } : {}),
  });
  if (rendering === undefined) return { plan: policyCheckRun(report, input.headSha), report };
  await addRenderedFindings(report, rendering, { config: input.config, sources });
  return { plan: policyCheckRun(report, input.headSha), report, ...(rendering.renderPlan !== undefined ? { renderPlan: rendering.renderPlan } : {}) };
}
