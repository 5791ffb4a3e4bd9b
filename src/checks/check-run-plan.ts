/**
 * A check run as the planners decide it: plain data, published by `src/app/github/publish-check-run.ts`.
 */

export type AnnotationLevel = "notice" | "warning" | "failure";

/** One line annotation, in GitHub's terms (1-based lines; columns only on single-line annotations). */
export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: AnnotationLevel;
  message: string;
  title?: string;
}

export type CheckConclusion = "success" | "failure" | "neutral" | "skipped" | "action_required";

export interface CheckRunPlan {
  /** The check's name, e.g. `fleetward/config`. Runs are found again by name and head commit. */
  name: string;
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  /** Markdown; GitHub caps it at 65,535 characters. */
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

/** GitHub accepts at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** GitHub's limit on `output.summary` and `output.text`. */
export const MAX_OUTPUT_CHARS = 65535;

/** Cuts a Markdown text to GitHub's limit, saying so at the end. */
export function truncateOutput(text: string, limit = MAX_OUTPUT_CHARS): string {
  if (text.length <= limit) return text;
  const note = "\n\n… (cut: the full report is longer than GitHub allows)";
  return text.slice(0, limit - note.length) + note;
}

/** Splits annotations into GitHub-sized batches; always at least one (possibly empty) batch. */
export function annotationBatches(annotations: CheckAnnotation[], size = ANNOTATIONS_PER_REQUEST): CheckAnnotation[][] {
  if (annotations.length === 0) return [[]];
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches;
}
