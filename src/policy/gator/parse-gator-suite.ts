import type { FieldPathSegment, JsonObject } from "../manifests/manifest-types.js";
import type { SourceDocument } from "../gatekeeper/gatekeeper-types.js";
import type { GatorAssertion, GatorCase, GatorDiagnostic, GatorSuite, GatorTest } from "./gator-types.js";
import { resolveSuitePath } from "./resolve-suite-path.js";

export const SUITE_API_VERSION = "test.gatekeeper.sh/v1alpha1";

/** Whether a document is a gator `kind: Suite`. */
export function isGatorSuiteDocument(value: JsonObject): boolean {
  return value.kind === "Suite" && typeof value.apiVersion === "string" && value.apiVersion.startsWith("test.gatekeeper.sh/");
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

export interface ParsedGatorSuite {
  suite?: GatorSuite;
  diagnostics: GatorDiagnostic[];
}

/**
 * Parses a gator verify Suite: tests with template, constraint and cases (object, optional inventory, assertions),
 * resolving every path against the suite file's directory. `violations` accepts "yes", "no", a non-negative integer,
 * and the YAML 1.1 booleans (true = yes, false = no) that an unquoted yes/no becomes in Kubernetes YAML; it defaults to
 * "yes". A case needs at least one assertion; message regexes must compile. Errors carry the field's line.
 */
export function parseGatorSuite(doc: SourceDocument): ParsedGatorSuite {
  const diagnostics: GatorDiagnostic[] = [];
  const diag = (code: GatorDiagnostic["code"], message: string, path: FieldPathSegment[]) => {
    for (let n = path.length; n >= 0; n--) {
      const loc = doc.locate?.(path.slice(0, n));
      if (loc !== undefined) {
        const at = loc.key ?? loc.value;
        diagnostics.push({ code, message, file: doc.file, line: at.line, column: at.column });
        return;
      }
    }
    diagnostics.push({ code, message, file: doc.file, line: doc.startLine, column: 1 });
  };
  const v = doc.value;
  if (!isGatorSuiteDocument(v)) {
    diag("gator_suite_invalid", "not a test.gatekeeper.sh Suite", ["kind"]);
    return { diagnostics };
  }
  const md = isObject(v.metadata) ? v.metadata : {};
  const path = (rel: unknown, at: FieldPathSegment[]): string | undefined => {
    if (typeof rel !== "string" || rel === "") {
      diag("gator_suite_invalid", `${String(at[at.length - 1])} must be a non-empty path`, at);
      return undefined;
    }
    const p = resolveSuitePath(doc.file, rel);
    if (p === undefined) diag("gator_path_escapes_root", `path "${rel}" leaves the repository`, at);
    return p;
  };
  const tests: GatorTest[] = [];
  const rawTests = v.tests ?? [];
  if (!Array.isArray(rawTests)) diag("gator_suite_invalid", "tests must be a list", ["tests"]);
  else {
    rawTests.forEach((t, ti) => {
      const tp: FieldPathSegment[] = ["tests", ti];
      if (!isObject(t)) return diag("gator_suite_invalid", "each test must be an object", tp);
      const name = typeof t.name === "string" ? t.name : `test-${ti}`;
      const template = path(t.template, [...tp, "template"]);
      const constraint = path(t.constraint, [...tp, "constraint"]);
      const cases: GatorCase[] = [];
      const rawCases = t.cases ?? [];
      if (!Array.isArray(rawCases)) diag("gator_suite_invalid", "cases must be a list", [...tp, "cases"]);
      else {
        rawCases.forEach((c, ci) => {
          const cp: FieldPathSegment[] = [...tp, "cases", ci];
          if (!isObject(c)) return diag("gator_suite_invalid", "each case must be an object", cp);
          const object = path(c.object, [...cp, "object"]);
          const inventory: string[] = [];
          if (c.inventory !== undefined) {
            if (!Array.isArray(c.inventory)) diag("gator_suite_invalid", "inventory must be a list of paths", [...cp, "inventory"]);
            else c.inventory.forEach((p, pi) => {
              const r = path(p, [...cp, "inventory", pi]);
              if (r !== undefined) inventory.push(r);
            });
          }
          const assertions: GatorAssertion[] = [];
          if (!Array.isArray(c.assertions) || c.assertions.length === 0) {
            diag("gator_invalid_assertion", "assertions must be non-empty", [...cp, "assertions"]);
          } else {
            c.assertions.forEach((a, ai) => {
              const ap: FieldPathSegment[] = [...cp, "assertions", ai];
              if (!isObject(a)) return diag("gator_invalid_assertion", "each assertion must be an object", ap);
              const raw = a.violations;
              let violations: GatorAssertion["violations"] | undefined;
              if (raw === undefined || raw === "yes" || raw === true) violations = "yes";
              else if (raw === "no" || raw === false) violations = "no";
              else if (typeof raw === "number" && Number.isInteger(raw) && raw >= 0) violations = raw;
              else if (typeof raw === "string" && /^\d+$/.test(raw)) violations = Number(raw);
              if (violations === undefined) {
                return diag("gator_invalid_assertion", 'assertion.violations, if set, must be a nonnegative integer, "yes", or "no"', [...ap, "violations"]);
              }
              const assertion: GatorAssertion = { violations };
              if (a.message !== undefined) {
                if (typeof a.message !== "string") return diag("gator_invalid_assertion", "message must be a string", [...ap, "message"]);
                try {
                  new RegExp(a.message);
                } catch (err) {
                  return diag("gator_invalid_regex", `message is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`, [...ap, "message"]);
                }
                assertion.message = a.message;
              }
              assertions.push(assertion);
              return undefined;
            });
          }
          if (object !== undefined) {
            cases.push({ name: typeof c.name === "string" ? c.name : `case-${ci}`, object, inventory, assertions, skip: c.skip === true });
          }
          return undefined;
        });
      }
      if (template !== undefined && constraint !== undefined) tests.push({ name, template, constraint, cases, skip: t.skip === true });
      return undefined;
    });
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { suite: { name: typeof md.name === "string" ? md.name : doc.file, file: doc.file, tests, skip: v.skip === true }, diagnostics };
}
