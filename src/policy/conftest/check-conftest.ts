import { checkConftestNamespace } from "./check-conftest-namespace.js";
import type { ConftestCheckResult, ConftestError, ConftestFileEvaluation } from "./conftest-types.js";

export interface ConftestOutcome {
  results: ConftestCheckResult[];
  /** Evaluation errors (Conftest aborts the run on these, exit code 1). */
  errors: ConftestError[];
}

/**
 * The outcome records for a run: one CheckResult per file and namespace, in the order namespaces are listed (for each
 * namespace, every file). The documents of a multi-document file are checked one by one and added up under the file.
 */
export function checkConftest(files: readonly ConftestFileEvaluation[], namespaces: readonly string[]): ConftestOutcome {
  const out: ConftestOutcome = { results: [], errors: [] };
  for (const ns of namespaces) {
    for (const f of files) {
      const total: ConftestCheckResult = { filename: f.file, namespace: ns, successes: 0, warnings: [], failures: [], exceptions: [] };
      for (const doc of f.documents) {
        const evaluation = doc.namespaces.find((n) => n.namespace === ns) ?? { namespace: ns, rules: [] };
        const r = checkConftestNamespace(f.file, evaluation, out.errors);
        total.successes += r.successes;
        total.warnings.push(...r.warnings);
        total.failures.push(...r.failures);
        total.exceptions.push(...r.exceptions);
      }
      out.results.push(total);
    }
  }
  return out;
}

/** The namespaces to query: every namespace with `--all-namespaces`, else the `--namespace` list, else `main`. */
export function selectConftestNamespaces(
  available: readonly string[],
  options: { namespaces?: readonly string[]; allNamespaces?: boolean } = {},
): string[] {
  if (options.allNamespaces === true) return [...new Set(available)];
  if (options.namespaces !== undefined && options.namespaces.length > 0) return [...options.namespaces];
  return ["main"];
}

export const COMBINED_FILE_NAME = "Combined";

/**
 * The `--combine` input: one array of `{path, contents}` (contents: the document, or the list of documents of a
 * multi-document file), sorted by path; it is evaluated once and reported under the file name `Combined`.
 */
export function buildCombinedInput(files: readonly { path: string; documents: readonly unknown[] }[]): { path: string; contents: unknown }[] {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: f.path, contents: f.documents.length === 1 ? f.documents[0] : [...f.documents] }));
}
