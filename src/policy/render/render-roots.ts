/**
 * Renders roots over a commit's files, never throwing.
 *
 *   renderRoots(render, files, roots, options) → Map<root folder, RenderResult>   (files: path → text)
 *
 * `render` is the renderer (`kustomizeRenderer` in production, a stand-in in unit tests). A renderer that throws
 * (a bug, not bad input: bad input is a diagnostic) gives a failed result with a `render_internal_error` diagnostic at
 * the root's kustomization, so one root can never stop the others from being judged.
 */
import { MemoryFs, type RenderFs, type RenderOptions, type RenderResult } from "../../render/index.js";
import type { RenderRoot } from "./find-roots.js";

/** Renders the folder `dir` of a commit whose files `fs` holds. */
export type Renderer = (fs: RenderFs, dir: string, options: RenderOptions) => RenderResult;

export function renderRoots(render: Renderer, files: ReadonlyMap<string, string>, roots: readonly RenderRoot[], options: RenderOptions): Map<string, RenderResult> {
  const out = new Map<string, RenderResult>();
  // One file system for all the roots of a commit.
  const fs = roots.length > 0 ? new MemoryFs(new Map(files)) : undefined;
  for (const root of roots) {
    try {
      out.set(root.dir, render(fs as RenderFs, root.dir, options));
    } catch (e) {
      const message = `the renderer failed: ${e instanceof Error ? e.message : String(e)}`;
      out.set(root.dir, {
        root: root.dir,
        ok: false,
        objects: [],
        diagnostics: [{ code: "render_internal_error", severity: "error", message, file: root.file, line: 1 }],
        files: [root.file],
        kustomizationDirs: [root.dir],
      });
    }
  }
  return out;
}
