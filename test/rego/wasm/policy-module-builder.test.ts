import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import binaryen from "binaryen";
import type * as OpaWasm from "@open-policy-agent/opa-wasm";
import { ABI_EXPORTS, ALLOWED_POLICY_IMPORTS, SDK_DEFAULT_PAGES } from "../../../src/rego/runtime/runtime-abi.js";
import { loadRuntimeWasm } from "../../../src/rego/runtime/runtime-location.js";
import { wasmApi, type WasmMemory } from "../../../src/rego/runtime/wasm-api.js";
import { PolicyLinkError, PolicyModuleBuilder } from "../../../src/rego/wasm/policy-module-builder.js";
import { buildExamplePolicy } from "./example-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

ensureRuntimeBuilt();

// The SDK's ESM entry only re-exports loadPolicy; its CommonJS entry has loadPolicySync too.
const opa = createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as typeof OpaWasm;

type LoadedPolicy = OpaWasm.LoadedPolicy;
const customBuiltins = { "custom.double": (n: number): number => n * 2 };

const fast = buildExamplePolicy();
const ctxPath = buildExamplePolicy({ abiMinorVersion: 1 });

function loaders(): [string, (bytes: Uint8Array) => Promise<LoadedPolicy>][] {
  return [
    ["loadPolicy, ABI 1.2 (opa_eval fast path)", (bytes) => opa.loadPolicy(bytes, undefined, customBuiltins)],
    ["loadPolicySync, ABI 1.2 (opa_eval fast path)", async (bytes) => opa.loadPolicySync(bytes, undefined, customBuiltins)],
    ["loadPolicy, ABI 1.1 (eval context path)", (bytes) => opa.loadPolicy(bytes === fast ? ctxPath : bytes, undefined, customBuiltins)],
    ["loadPolicySync, ABI 1.1 (eval context path)", async (bytes) => opa.loadPolicySync(bytes === fast ? ctxPath : bytes, undefined, customBuiltins)],
  ];
}

function exportsOf(policy: LoadedPolicy): Record<string, unknown> {
  const inst = policy.wasmInstance as unknown as { exports: Record<string, unknown> };
  return inst.exports;
}

describe("linked policy module interface", () => {
  it("imports only what the OPA ABI allows", () => {
    const imports = wasmApi.Module.imports(new wasmApi.Module(fast)).map((i) => `${i.module}.${i.name}`);
    const allowed = new Set(ALLOWED_POLICY_IMPORTS);
    expect(imports.filter((i) => !allowed.has(i))).toEqual([]);
    expect(imports).toContain("env.memory");
    expect(imports).toContain("env.opa_abort");
  });

  it("imports memory without a maximum and at most the SDK's initial pages", () => {
    const m = binaryen.readBinary(fast);
    try {
      const info = m.getMemoryInfo("mimport$0");
      expect(info.module).toBe("env");
      expect(info.base).toBe("memory");
      expect(info.initial).toBeLessThanOrEqual(SDK_DEFAULT_PAGES);
      expect(info.max).toBeUndefined();
    } finally {
      m.dispose();
    }
  });

  it("exports the full ABI 1.x surface with the requested versions and no runtime helpers", () => {
    for (const [bytes, minor] of [[fast, 2], [ctxPath, 1]] as const) {
      const names = wasmApi.Module.exports(new wasmApi.Module(bytes)).map((e) => e.name);
      for (const name of ABI_EXPORTS) expect(names).toContain(name);
      expect(names.filter((n) => n.startsWith("fw_") || n.startsWith("fwb_"))).toEqual([]);
      const policy = opa.loadPolicySync(bytes, undefined, customBuiltins);
      expect(policy.minorVersion).toBe(minor);
      expect((exportsOf(policy).opa_wasm_abi_version as { value: number }).value).toBe(1);
    }
  });

  it("reports entrypoints and builtins as the SDK reads them", () => {
    const policy = opa.loadPolicySync(fast, undefined, customBuiltins);
    expect(policy.entrypoints).toEqual({ "example/allow": 0, "example/config": 1, "example/sum": 2, "example/doubled": 3 });
    const exp = exportsOf(policy);
    const mem = policy.mem as unknown as WasmMemory;
    const builtinsAddr = (exp.opa_json_dump as (v: number) => number)((exp.builtins as () => number)());
    const bytes = new Uint8Array(mem.buffer);
    let end = builtinsAddr;
    while (bytes[end] !== 0) end++;
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(builtinsAddr, end)))).toEqual({ "custom.double": 0 });
  });
});

describe.each(loaders())("%s", (_name, load) => {
  it("evaluates example/allow from input", async () => {
    const policy = await load(fast);
    expect(policy.evaluate({ x: 1 })).toEqual([{ result: true }]);
    expect(policy.evaluate({ x: 2 })).toEqual([{ result: false }]);
    expect(policy.evaluate({ x: "1" })).toEqual([{ result: false }]);
    expect(policy.evaluate({ y: 1 })).toEqual([{ result: false }]);
    expect(policy.evaluate(undefined)).toEqual([{ result: false }]);
    expect(policy.evaluate({ x: 1.0 }, "example/allow")).toEqual([{ result: true }]);
  });

  it("returns data.config after setData, and an empty result set while it is undefined", async () => {
    const policy = await load(fast);
    expect(policy.evaluate({}, "example/config")).toEqual([]);
    const config = { replicas: 3, labels: { team: "a", tier: "b" }, tags: ["x", "y"], on: true, none: null };
    policy.setData({ config });
    expect(policy.evaluate({}, "example/config")).toEqual([{ result: config }]);
    expect(policy.evaluate({ x: 1 }, 1)).toEqual([{ result: config }]);
    policy.setData({ other: 1 });
    expect(policy.evaluate({}, "example/config")).toEqual([]);
  });

  it("adds numbers exactly and is undefined for non-numbers", async () => {
    const policy = await load(fast);
    expect(policy.evaluate({ a: 0.1, b: 0.2 }, "example/sum")).toEqual([{ result: 0.3 }]);
    expect(policy.evaluate({ a: 40, b: 2 }, "example/sum")).toEqual([{ result: 42 }]);
    expect(policy.evaluate({ a: "x", b: 2 }, "example/sum")).toEqual([]);
    expect(policy.evaluate({ a: 1 }, "example/sum")).toEqual([]);
  });

  it("calls host builtins through opa_builtin1", async () => {
    const policy = await load(fast);
    expect(policy.evaluate({ n: 21 }, "example/doubled")).toEqual([{ result: 42 }]);
  });

  it("aborts with a clear message on an unknown entrypoint id", async () => {
    const policy = await load(fast);
    expect(() => policy.evaluate({}, 99)).toThrow("invalid entrypoint id");
  });

  it("keeps the heap bounded across many evaluations", async () => {
    const policy = await load(fast);
    policy.setData({ config: { a: 1 } });
    const heap = exportsOf(policy).opa_heap_ptr_get as () => number;
    policy.evaluate({ x: 1, pad: "y".repeat(1000) });
    const after1 = heap();
    for (let i = 0; i < 500; i++) policy.evaluate({ x: i % 10, pad: String.fromCharCode(97 + (i % 26)).repeat(1000) });
    expect(heap()).toBe(after1);
  });
});

describe("opa_eval and the eval context called directly", () => {
  it("gives the same result set on both paths, in JSON and value format", () => {
    const policy = opa.loadPolicySync(fast, undefined, customBuiltins);
    const exp = exportsOf(policy) as Record<string, (...args: number[]) => number>;
    const mem = policy.mem as unknown as WasmMemory;
    const cstr = (addr: number): string => {
      const bytes = new Uint8Array(mem.buffer);
      let end = addr;
      while (bytes[end] !== 0) end++;
      return new TextDecoder().decode(bytes.subarray(addr, end));
    };
    const call = (name: string, ...args: number[]): number => {
      const fn = exp[name];
      if (!fn) throw new Error(`missing export ${name}`);
      return fn(...args);
    };
    policy.setData({ config: { b: [1, 2], a: "z" } });
    const base = call("opa_heap_ptr_get");
    const input = new TextEncoder().encode('{"x": 1}');
    new Uint8Array(mem.buffer).set(input, base);
    const viaFast = cstr(call("opa_eval", 0, 1, policy.dataAddr, base, input.length, base + input.length, 0));
    expect(viaFast).toBe('[{"result":{"a":"z","b":[1,2]}}]');
    const viaFastValue = cstr(call("opa_eval", 0, 1, policy.dataAddr, base, input.length, base + input.length, 1));
    expect(viaFastValue).toBe('{{"result":{"a":"z","b":[1,2]}}}');

    call("opa_heap_ptr_set", base);
    const raw = call("opa_malloc", input.length);
    new Uint8Array(mem.buffer).set(input, raw);
    const ctx = call("opa_eval_ctx_new");
    call("opa_eval_ctx_set_input", ctx, call("opa_json_parse", raw, input.length));
    call("opa_eval_ctx_set_data", ctx, policy.dataAddr);
    call("opa_eval_ctx_set_entrypoint", ctx, 1);
    expect(call("eval", ctx)).toBe(0);
    expect(cstr(call("opa_json_dump", call("opa_eval_ctx_get_result", ctx)))).toBe(viaFast);
  });

  it("aborts opa_eval on malformed input instead of evaluating", () => {
    const policy = opa.loadPolicySync(fast, undefined, customBuiltins);
    const bad = new TextEncoder().encode('{"x": 1,}');
    expect(() => policy.evaluate(bad.buffer.slice(0) as ArrayBuffer)).toThrow("opa_eval: failed to parse input");
  });
});

describe("memory", () => {
  it("evaluates against large data and large input together on both paths", async () => {
    const config = { items: Array.from({ length: 1500 }, (_, i) => ({ name: `svc-${i}`, replicas: i % 7, tags: ["a", `t${i}`] })) };
    for (const bytes of [fast, ctxPath]) {
      const policy = await opa.loadPolicy(bytes, undefined, customBuiltins);
      policy.setData({ config });
      const input = { x: 1, blob: Array.from({ length: 3000 }, (_, i) => ({ i, s: `v${i}` })) };
      expect(policy.evaluate(input, "example/config")).toEqual([{ result: config }]);
      expect(policy.evaluate(input)).toEqual([{ result: true }]);
    }
  });

  it("loads into a one-page memory and grows it for large inputs on both paths", async () => {
    const pad = "p".repeat(2 * 1024 * 1024);
    for (const bytes of [fast, ctxPath]) {
      const policy = await opa.loadPolicy(bytes, 1, customBuiltins);
      expect(policy.evaluate({ x: 1, pad })).toEqual([{ result: true }]);
      expect(policy.evaluate({ x: 0, pad })).toEqual([{ result: false }]);
    }
  });
});

describe("PolicyModuleBuilder errors", () => {
  it("refuses bytes that are not a Wasm module", () => {
    expect(() => new PolicyModuleBuilder(new Uint8Array([0, 97, 115, 109, 9, 9]))).toThrow("runtime module is not valid WebAssembly");
  });

  it("refuses a module without entrypoints", () => {
    expect(() => new PolicyModuleBuilder(loadRuntimeWasm()).link()).toThrow(PolicyLinkError);
  });

  it("refuses unknown runtime helpers and duplicate entrypoints", () => {
    const b = new PolicyModuleBuilder(loadRuntimeWasm());
    try {
      expect(() => b.runtimeFunction("fw_no_such_helper")).toThrow("runtime has no export named fw_no_such_helper");
      b.addEntrypoint("a/b", "f");
      expect(() => b.addEntrypoint("a/b", "g")).toThrow("duplicate entrypoint a/b");
    } finally {
      b.dispose();
    }
  });

  it("refuses entrypoints whose function does not exist", () => {
    const b = new PolicyModuleBuilder(loadRuntimeWasm());
    b.addEntrypoint("a/b", "missing$fn");
    expect(() => b.link()).toThrow("entrypoint a/b: function missing$fn is not defined");
  });

  it("reports generated code that fails validation", () => {
    const b = new PolicyModuleBuilder(loadRuntimeWasm());
    // i64 operand where the runtime helper takes an i32 address
    b.module.addFunction("bad", binaryen.i32, binaryen.i32, [], b.callRuntime("fw_value_length", [b.i64Const(1n)]));
    b.addEntrypoint("a/b", "bad");
    expect(() => b.link()).toThrow("generated module failed validation");
  });

  it("refuses static data beyond the SDK's initial memory", () => {
    const b = new PolicyModuleBuilder(loadRuntimeWasm());
    b.data.addBytes(new Uint8Array(SDK_DEFAULT_PAGES * 65536));
    b.module.addFunction("f", binaryen.i32, binaryen.i32, [], b.module.i32.const(0));
    b.addEntrypoint("a/b", "f");
    expect(() => b.link()).toThrow(/memory pages/);
  });

  it("emits identical bytes for identical input (deterministic), and reports size and link time", () => {
    const started = performance.now();
    const again = buildExamplePolicy();
    const ms = performance.now() - started;
    expect(Buffer.from(again).equals(Buffer.from(fast))).toBe(true);
    const runtimeSize = loadRuntimeWasm().byteLength;
    process.stdout.write(`[policy-link] example policy ${fast.byteLength} bytes (runtime ${runtimeSize} bytes), linked in ${ms.toFixed(0)} ms\n`);
    // Unused runtime code is removed: the 4-entrypoint example is smaller than the whole runtime.
    expect(fast.byteLength).toBeLessThan(runtimeSize);
  });
});
