/**
 * A ReDoS corpus through `regex.match`, `regex.find_n` and `regex.replace`, compiled from Rego and evaluated:
 * each call returns within 100 ms (of CPU time) or is refused as Go's RE2 refuses the pattern (a builtin error). On
 * JavaScript's backtracking engine most of these inputs take minutes to years.
 */
import { compile } from "../../../../src/rego/compile.js";
import { CompiledPolicy, PolicyEvalError } from "../../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../../runtime/ensure-runtime-built.js";

interface Case {
  what: string;
  pattern: string;
  input: string;
  /** Set when RE2 refuses the pattern (backreferences, lookaround, huge repeat counts). */
  refused?: RegExp;
}

const a = (n: number): string => "a".repeat(n);

const CORPUS: Case[] = [
  { what: "nested plus", pattern: "^(a+)+$", input: `${a(64)}!` },
  { what: "overlapping alternatives", pattern: "^(a|aa)+$", input: `${a(64)}!` },
  { what: "optional inside plus", pattern: "^(a|a?)+$", input: `${a(64)}!` },
  { what: "repeated dot-star", pattern: "(.*a){20}", input: a(64) },
  { what: "words and optional spaces", pattern: "^(\\w+\\s?)+$", input: `${"word ".repeat(20)}!` },
  { what: "star of star", pattern: "(a*)*b", input: a(64) },
  { what: "digits star", pattern: "^(\\d+)*$", input: `${"1".repeat(64)}x` },
  { what: "two pluses in plus", pattern: "(x+x+)+y", input: "x".repeat(64) },
  { what: "letters star anchored", pattern: "^([a-zA-Z]+)*$", input: `${a(64)}1` },
  { what: "OWASP example", pattern: "^(([a-z])+.)+[A-Z]([a-z])+$", input: `${a(64)}!` },
  { what: "Thompson's a?^n a^n", pattern: "^(a?){25}(a){25}$", input: a(25) },
  { what: "alternation under star", pattern: "(a|b|ab)*c", input: "ab".repeat(40) },
  { what: "dot-hyphen labels", pattern: "^([a-z0-9]+([\\-.][a-z0-9]+)*)+$", input: `${"a-".repeat(40)}!` },
  {
    what: "OWASP e-mail validator",
    pattern: "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
    input: `${a(64)}!`,
  },
  {
    what: "common e-mail regex",
    pattern: "^(([^<>()\\[\\]\\\\.,;:\\s@\"]+(\\.[^<>()\\[\\]\\\\.,;:\\s@\"]+)*)|(\".+\"))@((\\[[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}])|(([a-zA-Z\\-0-9]+\\.)+[a-zA-Z]{2,}))$",
    input: `a@${"a.".repeat(40)}!`,
  },
  { what: "URL regex", pattern: "^(https?://)?([\\da-z.-]+)\\.([a-z.]{2,6})([/\\w .-]*)*/?$", input: `http://a.bc/${"a/".repeat(40)}!` },
  { what: "trim (quadratic on backtracking engines)", pattern: "^\\s+|\\s+$", input: `${" ".repeat(5000)}x` },
  { what: "moment.js-style duration", pattern: "(?:\\s*[+-]?\\d+\\s*)+$", input: `${"1 ".repeat(64)}x` },
  { what: "quoted string", pattern: "\"(\\\\.|[^\"\\\\])*\"", input: `"${"\\a".repeat(500)}` },
  { what: "huge repeat count", pattern: "(.*){1,32000}[bc]", input: a(64), refused: /invalid repeat count/ },
  { what: "backreference", pattern: "^(a+)\\1*$", input: `${a(64)}!`, refused: /invalid escape sequence/ },
  { what: "lookahead", pattern: "^(?=(a+))+$", input: `${a(64)}!`, refused: /invalid or unsupported Perl syntax/ },
  { what: "negative lookbehind", pattern: "(?<!b)(a+)+$", input: `${a(64)}!`, refused: /error parsing regexp/ },
];

const MODULE = [
  "package redos",
  "match := regex.match(input.p, input.s)",
  "find := regex.find_n(input.p, input.s, -1)",
  'replaced := regex.replace(input.s, input.p, "<$0>")',
].join("\n");
const ENTRYPOINTS = ["redos/match", "redos/find", "redos/replaced"];

let policy: CompiledPolicy;

beforeAll(() => {
  ensureRuntimeBuilt();
  const r = compile({ modules: [{ file: "redos.rego", text: MODULE }], entrypoints: ENTRYPOINTS, strictBuiltinErrors: true });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  policy = CompiledPolicy.loadSync(r.wasm, { strictBuiltinErrors: true });
  // Warm the engine's code up (JIT) on variants of the patterns, so the timings measure matching, not a cold
  // start; the variants are other patterns, so the timed calls still compile theirs.
  for (const c of CORPUS) {
    for (const entrypoint of ENTRYPOINTS) {
      try {
        policy.evaluate(entrypoint, { p: `(?:${c.pattern})|^warm-up$`, s: c.input.slice(0, 16) });
      } catch {
        // refused patterns are refused in the warm-up too
      }
    }
  }
});

test("the corpus has at least 20 patterns, some of them refused by RE2", () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(20);
  expect(CORPUS.filter((c) => c.refused).length).toBeGreaterThanOrEqual(3);
});

describe.each(CORPUS)("$what: $pattern", (c) => {
  test.each(ENTRYPOINTS)("%s returns within 100 ms or is refused", (entrypoint) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let result: unknown;
    let error: unknown;
    try {
      result = policy.evaluate(entrypoint, { p: c.pattern, s: c.input });
    } catch (e) {
      error = e;
    }
    const used = process.cpuUsage(cpu);
    // CPU time is what the call costs; wall time on a loaded machine also counts waiting for a core, so it
    // only gets a loose bound (a backtracking engine takes minutes on these inputs either way).
    expect((used.user + used.system) / 1000).toBeLessThan(100);
    expect(performance.now() - started).toBeLessThan(2000);
    if (c.refused) {
      expect(error).toBeInstanceOf(PolicyEvalError);
      expect((error as PolicyEvalError).code).toBe("eval_builtin_error");
      expect((error as PolicyEvalError).message).toMatch(c.refused);
    } else {
      expect(error).toBeUndefined();
      expect(result).toHaveLength(1);
    }
  });
});
