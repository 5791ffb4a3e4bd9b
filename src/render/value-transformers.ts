/**
 * `images`, `replicas` and `replacements`, dispatched to the transformer layer (`src/render/transformers/`), with
 * the kustomization lines that set each field recorded as origins.
 */
import type { SourcePos } from "./api.js";
import type { Accumulator } from "./accumulator.js";
import type { FieldSpec } from "./fieldspec/fieldspec.js";
import type { Resource } from "./resource.js";
import { getList } from "./kustomization.js";
import type { Kustomization } from "./kustomization.js";
import { RenderError } from "./render-error.js";
import type { BuildContext } from "./target.js";

function notYet(k: Kustomization, field: string): void {
  const entries = getList(k, field);
  if (entries.length > 0) throw new RenderError("render_unsupported_field", `'${field}' is not rendered yet`, entries[0]!.at);
}

export function applyImages(k: Kustomization, acc: Accumulator): void {
  void acc;
  notYet(k, "images");
}

export function applyReplicas(k: Kustomization, acc: Accumulator): void {
  void acc;
  notYet(k, "replicas");
}

export function applyReplacements(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  void ctx;
  void acc;
  notYet(k, "replacements");
}

/** Substitutes `$(VAR)` in the fields `specs` reach. */
export function substituteVars(resources: Resource[], values: Map<string, { value: unknown; at: SourcePos }>, specs: readonly FieldSpec[]): void {
  void resources;
  void specs;
  const first = [...values.values()][0];
  if (first) throw new RenderError("render_unsupported_field", "'vars' are not rendered yet", first.at);
}
