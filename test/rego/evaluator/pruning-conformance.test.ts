import { CASE_ENTRYPOINT, caseValueJson, compileCase } from "../../../src/cli/conformance/run-conformance.js";
import { readConformanceCases, type ConformanceCase } from "../../../src/cli/conformance/read-cases.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { WHOLE_VALUE } from "../../../src/rego/evaluator/input-encoder.js";
import { serializeInput } from "../../../src/rego/evaluator/serialize-input.js";
import { inputAccess, type InputAccess } from "../../../src/rego/planner/input-access.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

/**
 * Every OPA conformance case that has an input, evaluated with the input pruned to what `inputAccess` says the
 * program observes, and whole: the same result set or the same error, through both input paths (binary, JSON text).
 * A difference is a pruning slip (e.g. a missed violation or a missed conflict error).
 */
const CASES = "test/fixtures/opa-conformance";

/** The result set as JSON, or the error's message (what a caller sees). */
function outcome(run: () => unknown): string {
  try {
    return JSON.stringify(run());
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

interface Compared {
  note: string;
  whole: string;
  pruned: string;
  prunedJson: string;
}

function compare(c: ConformanceCase): Compared | undefined {
  if (c.input === undefined) return undefined;
  const compiled = compileCase(c);
  if (compiled?.wasm === undefined || compiled.ir === undefined) return undefined;
  const access: InputAccess = inputAccess(compiled.ir);
  const policy = CompiledPolicy.loadSync(compiled.wasm, { strictBuiltinErrors: c.strict_error ?? false });
  if (c.data !== undefined) policy.setData(caseValueJson(c.data));
  const input: unknown = JSON.parse(caseValueJson(c.input));
  return {
    note: c.note,
    whole: outcome(() => policy.evaluateInput(CASE_ENTRYPOINT, input, WHOLE_VALUE)),
    pruned: outcome(() => policy.evaluateInput(CASE_ENTRYPOINT, input, access)),
    prunedJson: outcome(() => policy.evaluateJson(CASE_ENTRYPOINT, serializeInput(input, access))),
  };
}

let compared: Compared[] = [];

beforeAll(async () => {
  ensureRuntimeBuilt();
  const { cases } = await readConformanceCases([`${CASES}/v1`, `${CASES}/v1-supplement`]);
  compared = cases.flatMap((c) => compare(c) ?? []);
}, 900_000);

test("pruned inputs give every case with an input the whole input's results and errors", () => {
  // 123 cases of the suite compile with a JSON input (iteration, computed keys, conflicts, with input, …).
  expect(compared.length).toBeGreaterThan(100);
  const differ = compared.filter((c) => c.pruned !== c.whole || c.prunedJson !== c.whole);
  expect(differ).toEqual([]);
});

describe("a complete rule's conflicting definitions stay a conflict when pruned", () => {
  const doc = { o: { kind: "Pod", a: { x: 1, hidden: 1 }, b: { x: 1, hidden: 2 }, list: [{ x: 1, y: 1 }, { x: 1, y: 2 }] } };
  test.each([
    "s := input.o.a\ns := input.o.b\np := s.x",
    "s := input.o.a if input.o.kind == \"Pod\"\ns := input.o.b if input.o.kind in {\"Pod\", \"Job\"}\np := s.x",
    "s := input.o.list[_]\np := s.x",
    "f(v) := v.a\nf(v) := v.b\np := f(input.o).x",
  ])("%s", (rules) => {
    const compiled = compileCase({ file: "t", note: "t", modules: [`package t\n\n${rules}\n`], query: "data.t.p = x" });
    if (compiled?.wasm === undefined || compiled.ir === undefined) throw new Error(JSON.stringify(compiled?.diagnostics));
    const policy = CompiledPolicy.loadSync(compiled.wasm);
    const whole = outcome(() => policy.evaluateInput(CASE_ENTRYPOINT, doc, WHOLE_VALUE));
    expect(whole).toMatch(/eval_conflict_error/);
    expect(outcome(() => policy.evaluateInput(CASE_ENTRYPOINT, doc, inputAccess(compiled.ir as NonNullable<typeof compiled.ir>)))).toBe(whole);
  });
});
