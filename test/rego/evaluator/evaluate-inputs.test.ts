/**
 * Batch evaluation (`CompiledPolicy.evaluateInputs`, the runtime's `fleetward_eval_batch`) gives every document what
 * `evaluateInput` gives it alone: the same result set or the same error, also when another document of the batch
 * errors or runs out of memory in the middle of it, with shared members written once, and on the OPA conformance
 * cases' inputs.
 */
import binaryen from "binaryen";
import { CASE_ENTRYPOINT, caseValueJson, compileCase } from "../../../src/cli/conformance/run-conformance.js";
import { readConformanceCases } from "../../../src/cli/conformance/read-cases.js";
import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy, PolicyEvalError, type BatchOutcome } from "../../../src/rego/evaluator/compiled-policy.js";
import { setWasmMemoryLimit } from "../../../src/rego/evaluator/wasm-memory-limit.js";
import { inputAccess, type InputAccess } from "../../../src/rego/planner/input-access.js";
import { BINARY_BATCH_EXPORT } from "../../../src/rego/runtime/runtime-abi.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());
afterEach(() => setWasmMemoryLimit(undefined));

/** What a caller sees of one outcome: the result set as JSON, or the error's code and message. */
function seen(o: BatchOutcome): string {
  if (o.ok) return JSON.stringify(o.resultSet);
  return o.error instanceof PolicyEvalError ? `${o.error.code}: ${o.error.message}` : `thrown: ${String(o.error)}`;
}

/** `evaluateInput` on each input alone, as a batch outcome. */
function alone(policy: CompiledPolicy, entrypoint: string, inputs: readonly unknown[], access: InputAccess): string[] {
  return inputs.map((input) => {
    try {
      return seen({ ok: true, resultSet: policy.evaluateInput(entrypoint, input, access) });
    } catch (error) {
      return seen({ ok: false, error });
    }
  });
}

// Violations like a Gatekeeper template's; `input.review.div` 0 divides by zero (strict: an error), a `review.conflict`
// of true defines `level` twice with different values (a conflict), `review.size` builds a string of that many MiB.
const POLICY = `package g

violation contains {"msg": msg} if {
	some c in input.review.containers
	not startswith(c.image, input.parameters.prefix)
	msg := sprintf("%s: %s", [input.review.name, c.image])
}

violation contains {"msg": "ratio"} if 10 / input.review.div > 3

level := 1 if input.review.conflict
level := 2 if input.review.conflict

violation contains {"msg": "level"} if level > 5

violation contains {"msg": sprintf("big %d", [count(s)])} if {
	input.review.size > 0
	s0 := concat("", ["0123456789abcdef" | some _ in numbers.range(1, 1024 * 64)])
	s := concat("", [s0 | some _ in numbers.range(1, input.review.size)])
}
`;

function loadPolicy(wasm = compiled().wasm): CompiledPolicy {
  return CompiledPolicy.loadSync(wasm, { strictBuiltinErrors: true });
}

function compiled(): { wasm: Uint8Array; access: InputAccess } {
  const r = compile({ modules: [{ file: "g.rego", text: POLICY }], entrypoints: ["g/violation"], strictBuiltinErrors: true });
  if (r.wasm === undefined || r.ir === undefined) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return { wasm: r.wasm, access: inputAccess(r.ir) };
}

const parameters = { prefix: "registry.example.com/" };

function doc(i: number, extra: Record<string, unknown> = {}): { review: Record<string, unknown>; parameters: unknown } {
  const image = i % 3 === 0 ? `docker.io/app:${i}` : `registry.example.com/app:${i}`;
  return { review: { name: `app-${i}`, div: 5, containers: [{ image }, { image: "registry.example.com/side" }], ...extra }, parameters };
}

test("every document gets its own result set or error, errors in the middle of the batch included", () => {
  const { wasm, access } = compiled();
  const policy = loadPolicy(wasm);
  const inputs = [doc(0), doc(1), doc(2, { div: 0 }), doc(3), doc(4, { conflict: true }), doc(5, { div: "x" }), doc(6), { review: 1, parameters }, doc(9)];
  const expected = alone(policy, "g/violation", inputs, access);
  // Not vacuous: violations, no violations and three kinds of error.
  expect(expected.filter((e) => e.includes("docker.io")).length).toBe(4);
  expect(expected.filter((e) => e === '[{"result":[]}]').length).toBeGreaterThan(1);
  expect(expected.filter((e) => e.startsWith("eval_builtin_error")).length).toBe(1);
  expect(expected.filter((e) => e.startsWith("eval_conflict_error")).length).toBe(1);
  expect(expected.filter((e) => e.startsWith("eval_type_error")).length).toBe(1);
  for (const shared of [[], ["parameters"]]) {
    expect(policy.evaluateInputs("g/violation", inputs, access, shared).map(seen)).toEqual(expected);
  }
  // And on a fresh instance (nothing evaluated alone before).
  expect(loadPolicy(wasm).evaluateInputs("g/violation", inputs, access, ["parameters"]).map(seen)).toEqual(expected);
});

test("a document that exhausts the memory limit fails alone; the others keep their results", () => {
  const told: string[] = [];
  setWasmMemoryLimit(24 * 1024 * 1024, (message) => told.push(message));
  const { wasm, access } = compiled();
  const policy = loadPolicy(wasm);
  const inputs = [doc(0), doc(1, { size: 64 }), doc(2), doc(3, { size: 1 }), doc(4)];
  const batch = policy.evaluateInputs("g/violation", inputs, access, ["parameters"]).map(seen);
  expect(told.length).toBeGreaterThan(0); // the sandbox's worker hears of the document over the limit
  const expected = alone(loadPolicy(wasm), "g/violation", inputs, access);
  expect(batch).toEqual(expected);
  expect(expected[1]).toMatch(/out of memory|Maximum memory size exceeded/);
  expect(expected[3]).toContain("big 1048576");
  expect(expected[0]).toContain("docker.io/app:0");
});

test("inputs that do not fit the shared form, and a module without the batch export, give the same outcomes", () => {
  const { wasm, access } = compiled();
  const other = { prefix: "docker.io/" };
  const odd: unknown[] = [doc(0), { ...doc(1), parameters: other }, { parameters, review: doc(2).review }, undefined, null, "text", Object.assign(Object.create(null), doc(3)), doc(4)];
  const expected = alone(loadPolicy(wasm), "g/violation", odd, access);
  expect(expected[1]).not.toEqual(expected[0]?.replace("app-0", "app-1")); // other parameters, other verdict
  expect(loadPolicy(wasm).evaluateInputs("g/violation", odd, access, ["parameters"]).map(seen)).toEqual(expected);
  const m = binaryen.readBinary(wasm);
  m.removeExport(BINARY_BATCH_EXPORT);
  const withoutBatch = m.emitBinary();
  m.dispose();
  expect(loadPolicy(withoutBatch).evaluateInputs("g/violation", odd, access, ["parameters"]).map(seen)).toEqual(expected);
});

test("many documents, split over several calls, keep their order and results", () => {
  const { wasm, access } = compiled();
  const long = "x".repeat(2000);
  const inputs = Array.from({ length: 1500 }, (_, i) => doc(i, { pad: long, div: i % 250 === 7 ? 0 : 5 }));
  const batch = loadPolicy(wasm).evaluateInputs("g/violation", inputs, access, ["parameters"]).map(seen);
  const expected = alone(loadPolicy(wasm), "g/violation", inputs, access);
  expect(batch).toEqual(expected);
  expect(expected.filter((e) => e.startsWith("eval_builtin_error")).length).toBe(6);
});

test("the OPA conformance cases' inputs: batch and alone agree, with the input whole and pruned", async () => {
  const { cases } = await readConformanceCases(["test/fixtures/opa-conformance/v1", "test/fixtures/opa-conformance/v1-supplement"]);
  let checked = 0;
  const differ: string[] = [];
  for (const c of cases) {
    if (c.input === undefined) continue;
    const r = compileCase(c);
    if (r?.wasm === undefined || r.ir === undefined) continue;
    const access = inputAccess(r.ir);
    const policy = CompiledPolicy.loadSync(r.wasm, { strictBuiltinErrors: c.strict_error ?? false });
    if (c.data !== undefined) policy.setData(caseValueJson(c.data));
    const input: unknown = JSON.parse(caseValueJson(c.input));
    // The case's input among others (so that errors and results interleave), and copies sharing its last member.
    const keys = input !== null && typeof input === "object" && !Array.isArray(input) ? Object.keys(input) : [];
    const last = keys[keys.length - 1];
    const copies = keys.map((k) => ({ ...(input as Record<string, unknown>), [k]: k === last ? (input as Record<string, unknown>)[k] : null }));
    const inputs = [input, {}, input, null, 7, ...copies, input];
    const expected = alone(policy, CASE_ENTRYPOINT, inputs, access);
    for (const shared of last === undefined ? [[]] : [[], [last]]) {
      const batch = policy.evaluateInputs(CASE_ENTRYPOINT, inputs, access, shared).map(seen);
      if (JSON.stringify(batch) !== JSON.stringify(expected)) differ.push(`${c.note} (shared ${JSON.stringify(shared)})`);
    }
    checked++;
  }
  expect(checked).toBeGreaterThan(100);
  expect(differ).toEqual([]);
}, 900_000);

test("host builtins start one query per document in a batch, as one call per document does", () => {
  const r = compile({ modules: [{ file: "q.rego", text: 'package q\n\nids := [uuid.rfc4122("k"), uuid.rfc4122("k"), input.i]\n' }], entrypoints: ["q/ids"] });
  if (r.wasm === undefined || r.ir === undefined) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  const policy = CompiledPolicy.loadSync(r.wasm);
  const outcomes = policy.evaluateInputs("q/ids", [{ i: 0 }, { i: 1 }, { i: 2 }], inputAccess(r.ir));
  const ids = outcomes.map((o) => (o.ok ? (o.resultSet[0]?.result as string[]) : []));
  expect(ids.map((x) => x[2])).toEqual([0, 1, 2]);
  // Within a document (one query) the same answer; each document its own.
  for (const x of ids) expect(x[0]).toBe(x[1]);
  expect(new Set(ids.map((x) => x[0])).size).toBe(3);
});
