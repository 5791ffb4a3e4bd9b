export type GatorViolationsExpectation = "yes" | "no" | number;

export interface GatorAssertion {
  /** "yes": at least one matching violation; "no": none; a number: exactly that many. Default "yes". */
  violations: GatorViolationsExpectation;
  /** A regular expression a violation's message must match to count (all count when absent). */
  message?: string;
}

export interface GatorCase {
  name: string;
  /** Repository path of the file holding the object under review (resolved against the suite's directory). */
  object: string;
  /** Repository paths of files whose objects make up data.inventory. */
  inventory: string[];
  assertions: GatorAssertion[];
  skip: boolean;
}

export interface GatorTest {
  name: string;
  template: string;
  constraint: string;
  cases: GatorCase[];
  skip: boolean;
}

export interface GatorSuite {
  name: string;
  file: string;
  tests: GatorTest[];
  skip: boolean;
}

export interface GatorDiagnostic {
  code: "gator_suite_invalid" | "gator_path_escapes_root" | "gator_invalid_assertion" | "gator_invalid_regex";
  message: string;
  file: string;
  line: number;
  column: number;
}

/** What the evaluator found for one case: violations (messages), or an error (unreadable object, etc.). */
export interface GatorCaseRun {
  test: string;
  case: string;
  skipped?: boolean;
  violations?: readonly { msg: string }[];
  error?: string;
}

export interface GatorCaseVerdict {
  passed: boolean;
  /** Why the case failed (one line per failed assertion), empty when it passed. */
  failures: string[];
}
