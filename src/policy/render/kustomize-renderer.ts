/**
 * The production renderer of the policy check: Fleetward's Kustomize (`src/render/`) over the texts the caller read.
 *
 *   kustomizeRenderer(fs, dir, options) → RenderResult
 */
import { renderKustomization } from "../../render/index.js";
import type { Renderer } from "./render-roots.js";

export const kustomizeRenderer: Renderer = (fs, dir, options) => renderKustomization(fs, dir, options);
