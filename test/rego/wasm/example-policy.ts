import binaryen from "binaryen";
import { PolicyModuleBuilder, type LinkOptions } from "../../../src/rego/wasm/policy-module-builder.js";

/**
 * A hand-built policy (no parser/planner yet) equivalent to:
 *
 *   package example
 *   default allow := false
 *   allow if input.x == 1                 # entrypoint 0: example/allow
 *   config := data.config                 # entrypoint 1: example/config (undefined without data.config)
 *   sum := input.a + input.b              # entrypoint 2: example/sum (exact arithmetic)
 *   doubled := custom.double(input.n)     # entrypoint 3: example/doubled (host builtin)
 */
export function buildExamplePolicy(options: LinkOptions & { runtime?: Uint8Array } = {}): Uint8Array {
  const b = new PolicyModuleBuilder(options.runtime);
  const m = b.module;
  const i32 = binaryen.i32;
  const ctx = (): number => m.local.get(0, i32);
  const input = (): number => b.callRuntime("fw_eval_ctx_get_input", [ctx()]);
  const data = (): number => b.callRuntime("fw_eval_ctx_get_data", [ctx()]);
  const field = (base: number, key: string): number => b.callRuntime("fw_value_get", [base, b.stringValue(key)]);
  const local = (i: number): number => m.local.get(i, i32);

  // allow: v := input.x; v != 0 && v == 1 ? true : false
  m.addFunction(
    "example$allow",
    i32,
    i32,
    [i32],
    m.block(null, [
      m.local.set(1, field(input(), "x")),
      m.if(
        m.i32.and(
          m.i32.ne(local(1), m.i32.const(0)),
          m.i32.ne(b.callRuntime("fw_value_equal", [local(1), b.integerValue(1n)]), m.i32.const(0)),
        ),
        m.return(b.callRuntime("fw_boolean", [m.i32.const(1)])),
      ),
      m.return(b.callRuntime("fw_boolean", [m.i32.const(0)])),
    ], i32),
  );

  // config: data.config (0 = undefined)
  m.addFunction("example$config", i32, i32, [], field(data(), "config"));

  // sum: input.a + input.b; undefined unless both are numbers (fw_number_add returns 0 then)
  m.addFunction(
    "example$sum",
    i32,
    i32,
    [i32, i32],
    m.block(null, [
      m.local.set(1, field(input(), "a")),
      m.local.set(2, field(input(), "b")),
      m.if(m.i32.or(m.i32.eqz(local(1)), m.i32.eqz(local(2))), m.return(m.i32.const(0))),
      m.return(b.callRuntime("fw_number_add", [local(1), local(2)])),
    ], i32),
  );

  // doubled: custom.double(input.n) through env.opa_builtin1
  const doubleId = b.builtinId("custom.double");
  m.addFunction(
    "example$doubled",
    i32,
    i32,
    [i32],
    m.block(null, [
      m.local.set(1, field(input(), "n")),
      m.if(m.i32.eqz(local(1)), m.return(m.i32.const(0))),
      m.return(b.callRuntime("fw_builtin1", [m.i32.const(doubleId), ctx(), local(1)])),
    ], i32),
  );

  b.addEntrypoint("example/allow", "example$allow");
  b.addEntrypoint("example/config", "example$config");
  b.addEntrypoint("example/sum", "example$sum");
  b.addEntrypoint("example/doubled", "example$doubled");
  return b.link(options);
}
