/**
 * The YAML dialect Kubernetes reads manifests, ConstraintTemplates and Constraints in: sigs.k8s.io/yaml, which decodes
 * with go-yaml v2 (gopkg.in/yaml.v2) and converts the result to JSON. Two differences from YAML 1.2 matter here:
 *
 * - Plain scalars resolve as go-yaml v2's resolver does (YAML 1.1 style): `y`, `Y`, `yes`, `Yes`, `YES`, `on`, `On`,
 *   `ON`, `true`, `True`, `TRUE` are true and the `n`/`no`/`off`/`false` forms false; `~`, `null`, `Null`, `NULL` and
 *   the empty scalar are null; integers are read as Go's `strconv.ParseInt(s, 0, 64)` reads them after dropping `_`
 *   (`0x1F`, `0o17`, `0b101`, and `0777` as octal 511), then as unsigned, then as a float when they look like one
 *   (`08` is 8, `1e3` is 1000, `.5` is 0.5, `.inf`/`.nan` are the float specials); timestamps stay strings (go-yaml v2
 *   keeps them as text when decoding into interface{}); everything else is a string. Map keys become strings (JSON).
 * - A quoted scalar or flow collection may continue on lines indented less than its key (go-yaml does not check the
 *   indentation of flow content; YAML 1.2 parsers such as js-yaml refuse it). `acceptGoYamlIndentation` re-indents
 *   such continuation lines so js-yaml reads them: leading spaces of a continuation line are folded away, so the value
 *   does not change, and no line moves, so line numbers stay exact (columns on those lines shift).
 */
import { FAILSAFE_SCHEMA, NOT_RESOLVED, YAMLException, defineScalarTag, mergeTag } from "js-yaml";

const BOOLS = new Map<string, boolean>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((s): [string, boolean] => [s, true]),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((s): [string, boolean] => [s, false]),
]);
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const FLOAT_SPECIALS = new Map<string, number>([
  ...[".nan", ".NaN", ".NAN"].map((s): [string, number] => [s, Number.NaN]),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((s): [string, number] => [s, Number.POSITIVE_INFINITY]),
  ...["-.inf", "-.Inf", "-.INF"].map((s): [string, number] => [s, Number.NEGATIVE_INFINITY]),
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt/ParseUint with base 0 (sign, then 0x/0o/0b prefixes or a leading 0 for octal), as a BigInt. */
function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return undefined;
  const digits = m[2] as string;
  const magnitude = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = m[1] === "-" ? -magnitude : magnitude;
  if (value < -INT64_MAX - 1n || value > UINT64_MAX || (m[1] === "-" && value > INT64_MAX)) return undefined;
  return value;
}

/** Every scalar that resolves to a boolean, null or a float special, with its value. */
const KEYWORDS = new Map<string, unknown>([...BOOLS, ...[...NULLS].map((s): [string, null] => [s, null]), ...FLOAT_SPECIALS]);
/** The longest keyword that starts with something else than a digit, `.`, `+` or `-` (`false`). */
const LONGEST_WORD = 5;
/** A decimal integer that a double holds exactly, without the BigInt detour (the usual replicas and ports). */
const SMALL_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

/** What go-yaml v2 makes of a plain scalar (its `resolve` for an untagged scalar). */
export function resolveGoYamlV2Scalar(text: string): unknown {
  const c = text.charCodeAt(0);
  // Most scalars are words (names, images, kinds): only short ones can be keywords.
  if (!((c >= 48 && c <= 57) || c === 43 /* + */ || c === 45 /* - */ || c === 46) /* . */) {
    if (text.length > LONGEST_WORD) return text;
    const word = KEYWORDS.get(text);
    return word !== undefined ? word : text;
  }
  const special = KEYWORDS.get(text);
  if (special !== undefined) return special;
  if (c === 46) return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  if (SMALL_DECIMAL.test(text)) return Number(text);
  const plain = text.includes("_") ? text.replace(/_/g, "") : text;
  const int = parseGoInt(plain);
  if (int !== undefined) return Number(int);
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return text;
}

/** One implicit tag that resolves every plain scalar the go-yaml v2 way (explicit `!!str` etc. still apply). */
const goYamlV2ScalarTag = defineScalarTag<unknown>("tag:fleetward,2026:go-yaml-v2-scalar", {
  implicit: true,
  implicitFirstChars: null,
  identify: () => false,
  resolve: (source, isExplicit) => {
    if (isExplicit) return NOT_RESOLVED;
    const value = resolveGoYamlV2Scalar(source);
    return typeof value === "string" ? NOT_RESOLVED : value;
  },
});

/** js-yaml schema for sigs.k8s.io/yaml's dialect: strings, sequences, mappings, merge keys, go-yaml v2 scalars. */
export const GO_YAML_V2_SCHEMA = FAILSAFE_SCHEMA.withTags(goYamlV2ScalarTag, mergeTag);

/** Most continuation lines re-indented in one text; a bound on the parse-and-retry loop. */
const MAX_REINDENTS = 10_000;

/**
 * Runs `parse` on the text, re-indenting the flow continuation lines js-yaml refuses as "deficient indentation" (see
 * the file comment), and returns the result with the text it finally read. Other errors are thrown as they come.
 */
export function acceptGoYamlIndentation<T>(text: string, parse: (text: string) => T): { value: T; text: string } {
  let current = text;
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: parse(current), text: current };
    } catch (e) {
      if (!(e instanceof YAMLException) || e.reason !== "deficient indentation" || e.mark === undefined || attempt >= MAX_REINDENTS) throw e;
      const lines = current.split("\n");
      const at = e.mark.line;
      let prev = at - 1;
      while (prev >= 0 && (lines[prev] ?? "").trim() === "") prev--;
      const want = prev < 0 ? 1 : ((/^ */.exec(lines[prev] ?? "")?.[0].length ?? 0) + 1);
      const line = lines[at] ?? "";
      const have = /^ */.exec(line)?.[0].length ?? 0;
      if (have >= want) throw e;
      lines[at] = " ".repeat(want - have) + line;
      current = lines.join("\n");
    }
  }
}
