/**
 * A module on OPA's Wasm ABI 1.1 (no `opa_eval`, as older `opa build -t wasm` output) has neither Fleetward's binary
 * input exports nor the JSON fast path: `evaluateInput` (and so bundle evaluation) falls back to the SDK's own
 * `evaluate`, with the same results as the same policy evaluated on ABI 1.2 with the binary input. A module whose
 * binary input format version differs from this host's gets JSON text.
 */
import binaryen from "binaryen";
import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { inputAccess } from "../../../src/rego/planner/input-access.js";
import { BINARY_DECODE_EXPORT, BINARY_EVAL_EXPORT, BINARY_FORMAT_EXPORT, BINARY_FORMAT_VERSION } from "../../../src/rego/runtime/runtime-abi.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

/** The module as ABI 1.1: minor version 1, no opa_eval, no binary input exports. */
function asAbi11(wasm: Uint8Array): Uint8Array {
  const m = binaryen.readBinary(wasm);
  try {
    for (const name of [BINARY_EVAL_EXPORT, BINARY_DECODE_EXPORT, "opa_eval", "opa_wasm_abi_minor_version"]) m.removeExport(name);
    m.addGlobal("abi_minor_1_1", binaryen.i32, false, m.i32.const(1));
    m.addGlobalExport("abi_minor_1_1", "opa_wasm_abi_minor_version");
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

test("an ABI 1.1 module evaluates through the SDK with the results of the binary path", () => {
  const text = "package t\n\nnames contains c.name if some c in input.spec.containers\n\nkind := input.kind\n\nn := count(input.spec.containers) + data.base\n";
  const r = compile({ modules: [{ file: "t.rego", text }], entrypoints: ["t/names", "t/kind", "t/n"] });
  if (!r.wasm || !r.ir) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  const access = inputAccess(r.ir);
  const old = CompiledPolicy.loadSync(asAbi11(r.wasm));
  const current = CompiledPolicy.loadSync(r.wasm);
  expect(old.readsBinaryInput).toBe(false);
  expect(() => old.evaluateJson("t/kind", "{}")).toThrow(/opa_eval/);
  for (const p of [old, current]) p.setData({ base: 10 });
  // Falsy inputs too: they are values on every path (the SDK's evaluate would take them for no input).
  const inputs = [{ kind: "Pod", spec: { containers: [{ name: "a" }, { name: "b" }] } }, { kind: "Job", spec: { containers: [] } }, undefined, 42, 0, "", false, null];
  for (const input of inputs) {
    for (const ep of ["t/names", "t/kind", "t/n"]) expect(old.evaluateInput(ep, input, access)).toEqual(current.evaluateInput(ep, input, access));
  }
  expect(old.evaluateInput("t/names", inputs[0], access)).toEqual([{ result: ["a", "b"] }]);
  const isInput = compile({ modules: [{ file: "u.rego", text: "package u\n\nwhat := input\n" }], entrypoints: ["u/what"] });
  const oldIs = CompiledPolicy.loadSync(asAbi11(isInput.wasm as Uint8Array));
  expect([0, "", false, null].map((v) => oldIs.evaluateInput("u/what", v))).toEqual([[{ result: 0 }], [{ result: "" }], [{ result: false }], [{ result: null }]]);
  expect(oldIs.evaluateInput("u/what", undefined)).toEqual([]);
});

/** The module with its binary format version export replaced by `version`. */
function withFormatVersion(wasm: Uint8Array, version: number): Uint8Array {
  const m = binaryen.readBinary(wasm);
  try {
    m.removeExport(BINARY_FORMAT_EXPORT);
    m.addGlobal("other_format", binaryen.i32, false, m.i32.const(version));
    m.addGlobalExport("other_format", BINARY_FORMAT_EXPORT);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

test("the binary input is used only with a module of the same format version; others get JSON text, same results", () => {
  const r = compile({ modules: [{ file: "t.rego", text: "package t\n\nnames contains c.name if some c in input.spec.containers\n" }], entrypoints: ["t/names"] });
  if (!r.wasm || !r.ir) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  const current = CompiledPolicy.loadSync(r.wasm);
  expect(current.readsBinaryInput).toBe(true);
  const input = { spec: { containers: [{ name: "a" }, { name: "b" }] } };
  for (const version of [BINARY_FORMAT_VERSION - 1, BINARY_FORMAT_VERSION + 1]) {
    const other = CompiledPolicy.loadSync(withFormatVersion(r.wasm, version));
    expect(other.readsBinaryInput).toBe(false);
    expect(other.evaluateInput("t/names", input, inputAccess(r.ir))).toEqual([{ result: ["a", "b"] }]);
  }
  expect(current.evaluateInput("t/names", input, inputAccess(r.ir))).toEqual([{ result: ["a", "b"] }]);
});
