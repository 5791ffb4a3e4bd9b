/**
 * The one error type of the renderer: a stable `code` (e.g. `render_missing_file`) and, when known, the place in
 * the repository that caused it. Thrown by the loader, the kustomization parser and the patch/generator/transformer
 * functions; `renderKustomization` turns it into a RenderDiagnostic.
 */
export class RenderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly at?: { file: string; line: number; column?: number },
  ) {
    super(message);
    this.name = "RenderError";
  }
}
