/** One result of a Conftest rule, as Conftest reports it. */
export interface ConftestResult {
  msg: string;
  /** `_loc` of an object result ({file, line}); absent when not given. */
  loc?: { file?: string; line?: string };
  /** Every other field of an object result (absent when there are none). */
  metadata?: Record<string, unknown>;
  /** The rule that produced the result (not part of Conftest's JSON). */
  rule?: string;
}

/** Conftest's per-file, per-namespace outcome (CheckResult). */
export interface ConftestCheckResult {
  filename: string;
  namespace: string;
  successes: number;
  warnings: ConftestResult[];
  failures: ConftestResult[];
  exceptions: ConftestResult[];
}

/** The evaluation of one deny/violation/warn rule of a namespace against one input. */
export interface ConftestRuleEvaluation {
  /** Rule name, e.g. `deny`, `deny_latest_tag`, `warn`. Names that are not deny/violation/warn rules are ignored. */
  name: string;
  /** How many rule bodies with this name the namespace's modules define (Conftest counts each as a test). Default 1. */
  definitions?: number;
  /**
   * The value of `data.<namespace>.<name>`: a set, as a JSON array; empty or undefined when nothing fired. Any other
   * value (a boolean rule written without `contains`) yields no message, so Conftest counts it as a success.
   */
  values?: unknown;
}

export interface ConftestNamespaceEvaluation {
  namespace: string;
  rules: readonly ConftestRuleEvaluation[];
  /** The value of `data.<namespace>.exception` for this input: a set of lists of rule names (without prefix). */
  exceptions?: unknown;
}

/** The evaluation of one input document (one document of a multi-document file is evaluated on its own). */
export interface ConftestDocumentEvaluation {
  namespaces: readonly ConftestNamespaceEvaluation[];
}

export interface ConftestFileEvaluation {
  /** The file name as reported (`Combined` for --combine). */
  file: string;
  documents: readonly ConftestDocumentEvaluation[];
}

export interface ConftestError {
  code: "conftest_invalid_result" | "conftest_data_conflict" | "conftest_data_not_object";
  message: string;
  file: string;
}
