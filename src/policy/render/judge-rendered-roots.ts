/**
 * Judges the objects Kustomize roots render with the policy sources, under each root's environment or cluster.
 *
 *   judgeRenderedRoots(input: JudgeRenderedRootsInput) → Promise<JudgedRoots>
 *
 * - Every source evaluates the rendered objects of all roots at once; a finding on a rendered object is put back at
 *   the line that produced the field (see rendered-documents.ts) and its message names the root:
 *   `[prod-eu-1] envs/prod-eu-1: <message>`. The root's enforcement (its kustomization file's environment or
 *   cluster, as for any file there) caps what the policy asks for.
 * - A root that cannot be rendered is never judged as passing: each error diagnostic of its render is a `deny`
 *   finding (source `render`, rule = the diagnostic's code) at the diagnostic's file and line, whatever the
 *   environment enforces; render warnings are problems (warnings). The other roots are judged all the same.
 * - Sources that read the repository (`data.inventory`) get the judged rendered objects as the repository.
 */
import type { FleetwardConfig } from "../../config/schema.js";
import type { Fleet } from "../../fleet/build-fleet.js";
import { classifyPath } from "../../fleet/classify-path.js";
import type { RenderResult } from "../../render/api.js";
import { cappedAction, scopeOfPath } from "../check/evaluate-policy-check.js";
import type { PolicyFinding, PolicyProblem, PolicySource, RenderedRootReport } from "../check/policy-check-types.js";
import type { RenderRoot } from "./find-roots.js";
import { renderedDocuments, renderedPosition, type RenderedDocument, type SourceFiles } from "./rendered-documents.js";

export interface JudgeRenderedRootsInput {
  config: FleetwardConfig;
  fleet: Fleet;
  sources: readonly PolicySource[];
  /** The roots to judge (those the pull request affects), in report order. */
  roots: readonly RenderRoot[];
  /** Their renders, by root folder. */
  renders: ReadonlyMap<string, RenderResult>;
  /** The texts the renders read, to find fields in resource files. */
  files: SourceFiles;
}

export interface JudgedRoots {
  findings: PolicyFinding[];
  problems: PolicyProblem[];
  roots: RenderedRootReport[];
  evaluations: number;
}

/** How a root is named in messages: its clusters, else its environments (`-` for none). */
export function rootLabel(fleet: Fleet, root: RenderRoot): string {
  const c = classifyPath(fleet, root.file);
  return (c.clusters.length > 0 ? c.clusters : c.environments).join(", ") || "-";
}

/** What a root's findings carry: its message prefix, environment label and enforcement. */
interface RootScope {
  prefix: string;
  environment: string | null;
  enforcement: PolicyFinding["action"];
}

export async function judgeRenderedRoots(input: JudgeRenderedRootsInput): Promise<JudgedRoots> {
  const out: JudgedRoots = { findings: [], problems: [], roots: [], evaluations: 0 };
  const documents: RenderedDocument[] = [];
  const scopes = new Map<string, RootScope>();
  for (const root of input.roots) {
    const result = input.renders.get(root.dir);
    const scope = scopeOfPath(input.config, input.fleet, root.file);
    const label = rootLabel(input.fleet, root);
    const prefix = `[${label}] ${root.dir === "" ? "." : root.dir}: `;
    scopes.set(root.dir, { prefix, environment: scope.environment, enforcement: scope.enforcement });
    const ok = result !== undefined && result.ok;
    out.roots.push({ dir: root.dir, label, environment: scope.environment, ok, objects: ok ? result.objects.length : 0 });
    if (result === undefined) continue;
    for (const d of result.diagnostics) {
      const at = { file: d.file, line: d.line, column: d.column ?? 1 };
      if (d.severity === "warning") out.problems.push({ code: d.code, severity: "warning", message: prefix + d.message, ...at });
      else out.findings.push({ source: "render", rule: d.code, message: prefix + d.message, action: "deny", ruleAction: "deny", environment: scope.environment, ...at });
    }
    if (ok) documents.push(...renderedDocuments(root.dir, result.objects, input.files, documents.length));
  }
  if (documents.length === 0) return out;

  const byName = new Map(documents.map((d) => [d.document.file, d]));
  const place = (file: string, line: number) => {
    const rendered = byName.get(file);
    const ctx = rendered !== undefined ? scopes.get(rendered.root) : undefined;
    return rendered === undefined || ctx === undefined ? undefined : { at: renderedPosition(rendered, line), ctx };
  };
  const judged = documents.map((d) => d.document);
  for (const source of input.sources) {
    if (source.problems.some((p) => p.severity === "error")) continue;
    const result = await source.evaluate(judged, source.readsRepository === true ? { repository: judged } : undefined);
    out.evaluations += result.evaluations;
    for (const p of result.problems) {
      const where = place(p.file, p.line);
      if (where === undefined) out.problems.push(p);
      else out.problems.push({ ...p, message: where.ctx.prefix + p.message, file: where.at.file, line: where.at.line, column: where.at.column ?? 1 });
    }
    for (const f of result.findings) {
      const where = place(f.file, f.line);
      if (where === undefined) continue;
      const { at, ctx } = where;
      const finding: PolicyFinding = {
        source: source.kind,
        file: at.file,
        line: at.line,
        rule: f.rule,
        message: ctx.prefix + f.message,
        ruleAction: f.action,
        action: cappedAction(f.action, ctx.enforcement),
        environment: ctx.environment,
      };
      if (at.column !== undefined) finding.column = at.column;
      out.findings.push(finding);
    }
  }
  return out;
}
