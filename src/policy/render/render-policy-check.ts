/**
 * The rendering step of `planPolicyCheck` (so it runs where policy evaluation runs: the sandbox worker).
 *
 *   renderForPolicyCheck({ config, inputs, headSha, renderer }) → RenderingStep | undefined
 *   addRenderedFindings(report, step, { config, sources }) → Promise<void>   (adds to the report in place)
 *
 * Undefined when `render.kustomize` is `off` or nothing was read for rendering. Otherwise: which changed files are
 * left to the renders (`isRendered`), the affected roots' head renders to judge, and the `fleetward/render` check
 * run (undefined when neither commit has a root: a repository without kustomizations gets no extra check).
 */
import type { CheckRunPlan } from "../../checks/check-run-plan.js";
import type { FleetwardConfig } from "../../config/schema.js";
import type { PolicyCheckReport, PolicySource } from "../check/policy-check-types.js";
import { judgeRenderedRoots } from "./judge-rendered-roots.js";
import { renderCheckRun } from "./render-check.js";
import { type RenderedPullRequest, type RenderInputs, renderPullRequest } from "./render-pull-request.js";
import type { Renderer } from "./render-roots.js";

export interface RenderingStep {
  rendered: RenderedPullRequest;
  inputs: RenderInputs;
  renderPlan: CheckRunPlan | undefined;
}

export function renderForPolicyCheck(input: { config: FleetwardConfig; inputs: RenderInputs | undefined; headSha: string; renderer: Renderer }): RenderingStep | undefined {
  const { config, inputs } = input;
  if (inputs === undefined || config.render.kustomize === "off") return undefined;
  const rendered = renderPullRequest({ config, inputs, renderer: input.renderer });
  return { rendered, inputs, renderPlan: rendered.rootCount > 0 ? renderCheckRun(rendered.diffs, rendered.radius, input.headSha) : undefined };
}

/** Judges the affected roots' rendered objects and adds the findings, problems and roots to the report. */
export async function addRenderedFindings(report: PolicyCheckReport, step: RenderingStep, input: { config: FleetwardConfig; sources: readonly PolicySource[] }): Promise<void> {
  const { rendered, inputs } = step;
  const judged = await judgeRenderedRoots({
    config: input.config,
    fleet: rendered.fleet,
    sources: input.sources,
    roots: rendered.judge.roots,
    renders: rendered.judge.renders,
    files: { read: (path) => inputs.head.get(path) },
  });
  report.findings.push(...judged.findings);
  report.problems.push(...rendered.problems, ...judged.problems);
  report.evaluations += judged.evaluations;
  report.roots = judged.roots;
}
