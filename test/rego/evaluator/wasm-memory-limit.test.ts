/**
 * The Wasm memory maximum of policy modules: with a limit, a policy that allocates past it fails and the callback
 * hears of it (the sandbox's worker then ends as over its memory limit); without one, nothing is capped or told.
 */
import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { isWasmOutOfMemory, setWasmMemoryLimit, wasmMemoryDescriptor } from "../../../src/rego/evaluator/wasm-memory-limit.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());
afterEach(() => setWasmMemoryLimit(undefined));

// A 4 MiB string: 64 B made 16 times longer four times.
const HUNGRY = `package m

big := n if {
	some s0 in ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"]
	s1 := concat("", [s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0])
	s2 := concat("", [s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1])
	s3 := concat("", [s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2])
	s4 := concat("", [s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3])
	n := count(s4)
}
`;

function load(): CompiledPolicy {
  const compiled = compile({ modules: [{ file: "m.rego", text: HUNGRY }], entrypoints: ["m/big"] });
  if (compiled.wasm === undefined) throw new Error(JSON.stringify(compiled.diagnostics));
  return CompiledPolicy.loadSync(compiled.wasm);
}

test("over the maximum the evaluation fails and the callback is told", () => {
  const told: string[] = [];
  setWasmMemoryLimit(2 * 1024 * 1024, (message) => told.push(message));
  expect(wasmMemoryDescriptor()).toEqual({ initial: 5, maximum: 32 });
  expect(() => load().evaluate("m/big")).toThrow(/out of memory|Maximum memory size exceeded/);
  expect(told.length).toBeGreaterThan(0);
  expect(told.every(isWasmOutOfMemory)).toBe(true);
});

test("without a limit the same policy evaluates and nothing is told", () => {
  expect(wasmMemoryDescriptor()).toBeUndefined();
  expect(load().evaluate("m/big")).toEqual([{ result: 64 * 16 ** 4 }]);
});

test("other failures are not memory", () => {
  expect(isWasmOutOfMemory("eval_type_error: count: operand 1 must be one of {array, object, set, string}")).toBe(false);
  expect(isWasmOutOfMemory("opa_malloc: out of memory")).toBe(true);
  expect(isWasmOutOfMemory("WebAssembly.Memory.grow(): Maximum memory size exceeded")).toBe(true);
});
