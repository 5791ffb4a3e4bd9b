/**
 * What Fleetward does not render, each an error at the kustomization line that asks for it (never a silent skip):
 * Helm chart inflation (`helmCharts`, `helmGlobals`, `helmChartInflationGenerator`), `validators` (plugins), and
 * an `openapi.version` other than the schema Kustomize embeds. Remote resources and non-builtin plugins are refused
 * where they are loaded (loader.ts, plugins-step.ts).
 */
import { getList, getObject, posOf } from "./kustomization.js";
import type { Kustomization } from "./kustomization.js";
import { RenderError } from "./render-error.js";

export function checkUnsupported(k: Kustomization): void {
  for (const field of ["helmCharts", "helmGlobals", "helmChartInflationGenerator"]) {
    if (k.raw[field] !== undefined && k.raw[field] !== null) {
      throw new RenderError("render_unsupported_helm", `'${field}': Helm chart inflation is not supported (render the chart into the repository, or use a Helm-aware tool)`, posOf(k, `/${field}`));
    }
  }
  const validators = getList(k, "validators");
  if (validators.length > 0) {
    throw new RenderError("render_unsupported_plugin", "'validators': validator plugins (exec, container or KRM functions) are not supported", validators[0]!.at);
  }
  const openapi = getObject(k, "openapi");
  const version = openapi?.value["version"];
  if (openapi && version !== undefined && version !== "v1.21.2") {
    throw new RenderError("render_unsupported_openapi", `openapi version '${String(version)}' is not supported: only the builtin schema (v1.21.2) or a 'path' in the kustomization's tree`, posOf(k, "/openapi/version"));
  }
}
