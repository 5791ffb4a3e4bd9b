import binaryen from "binaryen";
import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { loadRuntimeWasm } from "../../../src/rego/runtime/runtime-location.js";
import { POLICY_FEATURES } from "../../../src/rego/wasm/policy-module-builder.js";
import { RuntimeTemplate, runtimeModule } from "../../../src/rego/wasm/runtime-template.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

/** What binaryen emits for the runtime read from its bytes (the path the template replaces). */
function emittedByReading(bytes: Uint8Array): Uint8Array {
  const m = binaryen.readBinary(bytes);
  try {
    m.setFeatures(POLICY_FEATURES);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

function emitAndDispose(m: binaryen.Module): Uint8Array {
  try {
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

describe("RuntimeTemplate", () => {
  it("copies the runtime into a module that emits exactly what reading it gives", () => {
    const runtime = loadRuntimeWasm();
    const template = RuntimeTemplate.load(runtime, POLICY_FEATURES);
    expect(template).toBeDefined();
    try {
      expect(Buffer.from(emitAndDispose(template!.instantiate())).equals(emittedByReading(runtime))).toBe(true);
    } finally {
      template?.dispose();
    }
  });

  it("gives a pristine module after a previous copy was edited, linked and discarded", () => {
    const runtime = loadRuntimeWasm();
    const edited = runtimeModule(runtime, POLICY_FEATURES);
    edited.addFunction("extra", binaryen.none, binaryen.i32, [], edited.i32.const(7));
    edited.addFunctionExport("extra", "extra");
    const start = edited.getStart();
    edited.setStart(0);
    edited.removeFunction(binaryen.getFunctionInfo(start).name);
    edited.setMemory(2, -1, null, [{ offset: edited.i32.const(60000), data: new Uint8Array([1, 2, 3]), passive: false }], false, false, "mimport$0");
    edited.runPasses(["remove-unused-module-elements"]);
    const editedBytes = emitAndDispose(edited);
    const fresh = emitAndDispose(runtimeModule(runtime, POLICY_FEATURES));
    expect(Buffer.from(editedBytes).equals(fresh)).toBe(false);
    expect(Buffer.from(fresh).equals(emittedByReading(runtime))).toBe(true);
  });

  it("reads modules it cannot copy (here: one with a table) instead of copying them", () => {
    const m = new binaryen.Module();
    m.addFunction("f", binaryen.none, binaryen.i32, [], m.i32.const(1));
    m.addTable("t", 1, 1);
    m.addActiveElementSegment("t", "e", ["f"], m.i32.const(0));
    m.addFunctionExport("f", "f");
    const bytes = emitAndDispose(m);
    expect(RuntimeTemplate.load(bytes, POLICY_FEATURES)).toBeUndefined();
    expect(Buffer.from(emitAndDispose(runtimeModule(bytes, POLICY_FEATURES))).equals(emittedByReading(bytes))).toBe(true);
  });
});

describe("policies compiled one after the other from the shared template", () => {
  const a = 'package a\ndefault allow := false\nallow if input.n > 1\nlabels contains l if { some l in input.labels; startswith(l, "x") }\n';
  const b = 'package b\nmsg := concat("-", [input.s, "b"])\ncount_n := count(input.items)\n';

  function build(text: string, entrypoints: string[], salt: string): Uint8Array {
    // The salt (a comment) keeps compile's result cache from answering: every call builds a module.
    const r = compile({ modules: [{ file: "p.rego", text: `${text}# ${salt}\n` }], entrypoints });
    if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    return r.wasm;
  }

  it("emit the same bytes and evaluate the same whatever was compiled before", () => {
    const aFirst = build(a, ["a/allow", "a/labels"], "1");
    const bAfterA = build(b, ["b/msg", "b/count_n"], "2");
    const aAfterB = build(a, ["a/allow", "a/labels"], "3");
    const bAgain = build(b, ["b/msg", "b/count_n"], "4");
    expect(Buffer.from(aAfterB).equals(aFirst)).toBe(true);
    expect(Buffer.from(bAgain).equals(bAfterA)).toBe(true);

    const pa = CompiledPolicy.loadSync(aAfterB);
    expect(pa.evaluate("a/allow", { n: 2, labels: [] })[0]?.result).toBe(true);
    expect(pa.evaluate("a/allow", { n: 0, labels: [] })[0]?.result).toBe(false);
    expect(pa.evaluate("a/labels", { n: 0, labels: ["xa", "b", "xc"] })[0]?.result).toEqual(["xa", "xc"]);
    const pb = CompiledPolicy.loadSync(bAfterA);
    expect(pb.evaluate("b/msg", { s: "a", items: [] })[0]?.result).toBe("a-b");
    expect(pb.evaluate("b/count_n", { s: "a", items: [1, 2, 3] })[0]?.result).toBe(3);
  });
});
