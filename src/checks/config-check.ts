import type { CheckAnnotation, CheckRunPlan } from "./check-run-plan.js";

/** The name of the check that judges `.github/fleetward.yml`. */
export const CONFIG_CHECK_NAME = "fleetward/config";

/** What the config loader reports; structurally the config module's diagnostic. */
export interface ConfigProblem {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: "error" | "warning";
}

export interface ConfigCheckInput {
  headSha: string;
  /** Where each layer came from, for the summary: file → "owner/repo@ref". */
  sources: Array<{ file: string; location: string }>;
  /** Files that live in the repository being checked: only these can carry annotations. */
  annotatable: (file: string) => boolean;
  problems: ConfigProblem[];
  /** The commit whose configuration the app keeps using when this one is invalid (null: none known). */
  fallbackSha: string | null;
  /** A pull request's head (not yet in force) or a commit on the default branch (in force). */
  mode?: "pull_request" | "default_branch";
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Pure: the `fleetward/config` check run for one commit. */
export function planConfigCheck(input: ConfigCheckInput): CheckRunPlan {
  const errors = input.problems.filter((p) => p.severity === "error");
  const warnings = input.problems.filter((p) => p.severity === "warning");
  const annotations: CheckAnnotation[] = input.problems
    .filter((p) => input.annotatable(p.file))
    .map((p) => {
      const endLine = Math.max(p.line, p.endLine ?? p.line);
      const sameLine = endLine === p.line;
      return {
        path: p.file,
        startLine: p.line,
        endLine,
        ...(sameLine ? { startColumn: p.column, endColumn: Math.max(p.column, p.endColumn ?? p.column) } : {}),
        level: p.severity === "error" ? "failure" : "warning",
        title: p.code,
        message: p.message,
      };
    });

  const lines: string[] = [];
  if (errors.length === 0) {
    lines.push("The Fleetward configuration is valid.");
  } else {
    lines.push(`The Fleetward configuration is invalid: ${errors.length} error${errors.length === 1 ? "" : "s"}.`);
    lines.push("");
    lines.push(
      input.mode === "pull_request"
        ? "Merging this pull request would leave the repository with an invalid configuration: Fleetward would keep using the last valid one and ignore this change."
        : input.fallbackSha
          ? `Fleetward keeps using the last valid configuration, from commit ${input.fallbackSha.slice(0, 7)}, until this is fixed.`
          : "No earlier valid configuration is known: Fleetward takes no action on this repository until this is fixed.",
    );
  }
  if (input.problems.length > 0) {
    lines.push("", "| Where | Code | Problem |", "| --- | --- | --- |");
    for (const p of [...errors, ...warnings]) {
      lines.push(`| \`${escapeCell(p.file)}:${p.line}:${p.column}\` | ${p.code} | ${escapeCell(p.message)} |`);
    }
  }
  if (input.sources.length > 0) {
    lines.push("", "Layers read, lowest precedence first:", "");
    for (const s of input.sources) lines.push(`- \`${s.file}\` from ${s.location}`);
  }
  return {
    name: CONFIG_CHECK_NAME,
    headSha: input.headSha,
    conclusion: errors.length > 0 ? "failure" : "success",
    title:
      errors.length > 0
        ? `${errors.length} configuration error${errors.length === 1 ? "" : "s"}`
        : warnings.length > 0
          ? `Valid, with ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`
          : "Valid configuration",
    summary: lines.join("\n"),
    annotations,
  };
}
