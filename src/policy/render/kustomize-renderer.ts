/**
 * The production renderer of the policy check: Fleetward's Kustomize (`src/render/`) over the texts the caller read.
 *
 *   kustomizeRenderer(files, dir, options) → RenderResult
 */
import { MemoryFs, renderKustomization } from "../../render/index.js";
import type { Renderer } from "./render-roots.js";

export const kustomizeRenderer: Renderer = (files, dir, options) => renderKustomization(new MemoryFs(new Map(files)), dir, options);
