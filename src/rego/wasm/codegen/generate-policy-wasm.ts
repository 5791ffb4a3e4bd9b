/**
 * Code generation: planner IR → binaryen functions linked with the runtime by `PolicyModuleBuilder`.
 *
 * Every IR function becomes a Wasm function (ctx, input, data, mocked, ...args) -> value (0 = undefined).
 * IR blocks become Wasm blocks; a failing statement branches to the end of the innermost block. Rule
 * caches are mutable globals cleared by each entrypoint. Comparisons, equality, exact `+ - *`, `count` of
 * collections and membership run natively; other builtins are host builtins (`opa_builtinN`).
 */
import binaryen from "binaryen";
import { PolicyModuleBuilder } from "../policy-module-builder.js";
import { NATIVE_BUILTINS } from "../../builtins/native-builtins.js";
import { VALUE_TEXT_BUILTINS, valueTextName } from "../../builtins/host/value-text.js";
import { findConstantLiterals, type ConstantLiteral, type ConstantOperand } from "./find-constant-literals.js";
import {
  LOCAL_CTX, LOCAL_DATA, LOCAL_INPUT, LOCAL_MOCKED,
  type IrFunction, type IrProgram, type Local, type Operand, type Stmt,
} from "../../planner/ir-program.js";

type Expr = binaryen.ExpressionRef;

export class CodegenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodegenError";
  }
}

export interface CodegenOptions {
  /** Builtin errors abort the evaluation (else they make the expression undefined). */
  strictBuiltinErrors?: boolean;
  runtime?: Uint8Array;
  /** Optimize generated functions (default true). */
  optimize?: boolean;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Generates and links the policy module for an IR program. */
export function generatePolicyWasm(program: IrProgram, options: CodegenOptions = {}): Uint8Array {
  const b = new PolicyModuleBuilder(options.runtime);
  try {
    const m = b.module;
    for (let i = 0; i < program.cacheSlots; i++) m.addGlobal(cacheGlobal(i), binaryen.i32, true, m.i32.const(0));
    for (let i = 0; i < program.mockSlots; i++) m.addGlobal(mockGlobal(i), binaryen.i32, true, m.i32.const(0));
    const constants = new ConstantGlobals(b, findConstantLiterals(program));
    for (const f of program.functions) new FunctionGen(b, f, options.strictBuiltinErrors ?? false, constants).generate();
    constants.addInitializer();
    program.entrypoints.forEach((e, i) => {
      const name = `fleetward$entry${i}`;
      const ctx = (): Expr => m.local.get(0, binaryen.i32);
      const resets: Expr[] = [];
      for (let s = 0; s < program.cacheSlots; s++) resets.push(m.global.set(cacheGlobal(s), m.i32.const(0)));
      m.addFunction(name, binaryen.i32, binaryen.i32, [], m.block(null, [
        ...resets,
        m.call(e.func, [
          ctx(),
          b.callRuntime("fw_eval_ctx_get_input", [ctx()]),
          b.callRuntime("fw_eval_ctx_get_data", [ctx()]),
          m.i32.const(0),
        ], binaryen.i32),
      ], binaryen.i32));
      b.addEntrypoint(e.name, name);
    });
  } catch (e) {
    b.dispose();
    throw e;
  }
  return b.link({ optimize: options.optimize ?? true });
}

/**
 * Constant array and set literals built once, by the module's start function (before any SDK reads the heap
 * pointer, so they lie below every evaluation's heap and survive its resets), and read from globals.
 */
class ConstantGlobals {
  private readonly globals = new Map<string, { name: string; literal: ConstantLiteral }>();

  constructor(private readonly b: PolicyModuleBuilder, readonly literals: Map<Stmt, ConstantLiteral>) {}

  /** The global holding the literal's value (one per distinct literal). */
  global(literal: ConstantLiteral): string {
    let g = this.globals.get(literal.key);
    if (g === undefined) {
      g = { name: `fleetward$const${this.globals.size}`, literal };
      this.globals.set(literal.key, g);
      this.b.module.addGlobal(g.name, binaryen.i32, true, this.b.module.i32.const(0));
    }
    return g.name;
  }

  addInitializer(): void {
    if (this.globals.size === 0) return;
    const m = this.b.module;
    const body: Expr[] = [];
    for (const { name, literal } of this.globals.values()) {
      const v = (): Expr => m.global.get(name, binaryen.i32);
      if (literal.kind === "set") {
        body.push(m.global.set(name, this.b.callRuntime("fw_set_new", [])));
        for (const e of literal.elements) body.push(this.b.callRuntime("fw_set_add", [v(), constantOperand(this.b, e)], binaryen.none));
      } else {
        body.push(m.global.set(name, this.b.callRuntime("fw_array_new", [m.i32.const(literal.elements.length)])));
        for (const e of literal.elements) body.push(this.b.callRuntime("fw_array_append", [v(), constantOperand(this.b, e)], binaryen.none));
      }
    }
    m.addFunction("fleetward$constants", binaryen.none, binaryen.none, [], m.block(null, body));
    this.b.setInitializer("fleetward$constants");
  }
}

/** A constant operand's value (a string from static data; numbers, booleans and null made by the runtime). */
function constantOperand(b: PolicyModuleBuilder, o: ConstantOperand): Expr {
  const m = b.module;
  switch (o.k) {
    case "string":
      return b.stringValue(o.v);
    case "bool":
      return b.callRuntime("fw_boolean", [m.i32.const(o.v ? 1 : 0)]);
    case "null":
      return b.callRuntime("fw_null", []);
    case "number": {
      if (/^-?\d+$/.test(o.v)) {
        const n = BigInt(o.v);
        if (n >= I64_MIN && n <= I64_MAX) return b.integerValue(n);
      }
      const bytes = b.data.addString(o.v);
      return b.callRuntime("fw_number_parse", [m.i32.const(bytes.offset), m.i32.const(bytes.length)]);
    }
  }
}

function mockGlobal(slot: number): string {
  return `fleetward$mock${slot}`;
}

function cacheGlobal(slot: number): string {
  return `fleetward$cache${slot}`;
}

class FunctionGen {
  private readonly m: binaryen.Module;
  private readonly scratch: number[] = [];
  private localCount: number;
  private labelCount = 0;
  private readonly fixed: number;
  /** `file:line` of the builtin call being generated: strict error messages start with it. */
  private builtinLoc: string | undefined;

  constructor(
    private readonly b: PolicyModuleBuilder,
    private readonly f: IrFunction,
    private readonly strict: boolean,
    private readonly constants: ConstantGlobals,
  ) {
    this.m = b.module;
    this.fixed = 4 + f.params;
    this.localCount = Math.max(f.locals, this.fixed);
  }

  generate(): void {
    const m = this.m;
    const top = this.label();
    const body = m.block(null, [
      m.block(top, this.stmts(this.f.body, top)),
      m.i32.const(0),
    ], binaryen.i32);
    const params = binaryen.createType(Array.from({ length: this.fixed }, () => binaryen.i32));
    const vars = Array.from({ length: this.localCount - this.fixed }, () => binaryen.i32);
    m.addFunction(this.f.name, params, binaryen.i32, vars, body);
  }

  private label(): string {
    return `L${this.labelCount++}`;
  }

  private temp(): number {
    return this.localCount++;
  }

  private get(l: Local): Expr {
    return this.m.local.get(l, binaryen.i32);
  }

  private set(l: Local, v: Expr): Expr {
    return this.m.local.set(l, v);
  }

  private rt(name: string, args: Expr[], type: binaryen.Type = binaryen.i32): Expr {
    return this.b.callRuntime(name, args, type);
  }

  private operand(o: Operand): Expr {
    return o.k === "local" ? this.get(o.l) : constantOperand(this.b, o);
  }

  private failIf(cond: Expr, fail: string): Expr {
    return this.m.br(fail, cond);
  }

  private stmts(list: readonly Stmt[], fail: string): Expr[] {
    const out: Expr[] = [];
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Stmt;
      const literal = this.constants.literals.get(s);
      if (literal !== undefined && (s.op === "makeArray" || s.op === "makeSet")) {
        out.push(this.set(s.target, this.m.global.get(this.constants.global(literal), binaryen.i32)));
        i += literal.elements.length; // its appends
        continue;
      }
      out.push(this.stmt(s, fail));
    }
    if (out.length === 0) out.push(this.m.nop());
    return out;
  }

  private stmt(s: Stmt, fail: string): Expr {
    const m = this.m;
    switch (s.op) {
      case "assign":
        return this.set(s.target, this.operand(s.source));
      case "reset":
        return this.set(s.target, m.i32.const(0));
      case "dot":
        return m.block(null, [
          this.set(s.target, this.rt("fw_value_get", [this.operand(s.src), this.operand(s.key)])),
          this.failIf(m.i32.eqz(this.get(s.target)), fail),
        ]);
      case "equal":
        return this.failIf(m.i32.eqz(this.rt("fw_value_equal", [this.operand(s.a), this.operand(s.b)])), fail);
      case "notEqual":
        return this.failIf(this.rt("fw_value_equal", [this.operand(s.a), this.operand(s.b)]), fail);
      case "isDefined":
        return this.failIf(m.i32.eqz(this.get(s.l)), fail);
      case "isUndefined":
        return this.failIf(this.get(s.l), fail);
      case "isType":
        return this.failIf(m.i32.ne(this.rt("fw_value_type", [this.operand(s.a)]), m.i32.const(s.tag)), fail);
      case "isCollection":
        return this.failIf(m.i32.lt_u(this.rt("fw_value_type", [this.operand(s.a)]), m.i32.const(5)), fail);
      case "lenEqual":
        return this.failIf(m.i32.ne(this.rt("fw_value_length", [this.operand(s.a)]), m.i32.const(s.n)), fail);
      case "compare": {
        const c = this.rt("fw_value_compare", [this.operand(s.a), this.operand(s.b)]);
        const zero = m.i32.const(0);
        const holds = s.rel === "lt" ? m.i32.lt_s(c, zero) : s.rel === "lte" ? m.i32.le_s(c, zero) : s.rel === "gt" ? m.i32.gt_s(c, zero) : m.i32.ge_s(c, zero);
        return this.failIf(m.i32.eqz(holds), fail);
      }
      case "call":
        return m.block(null, [
          this.set(s.target, m.call(s.func, [
            this.get(LOCAL_CTX), this.get(LOCAL_INPUT), this.get(LOCAL_DATA), this.get(LOCAL_MOCKED),
            ...s.args.map((a) => this.operand(a)),
          ], binaryen.i32)),
          this.failIf(m.i32.eqz(this.get(s.target)), fail),
        ]);
      case "builtin":
        this.builtinLoc = s.loc;
        return m.block(null, [
          this.builtin(s.name, s.args, s.target),
          this.failIf(m.i32.eqz(this.get(s.target)), fail),
        ]);
      case "templateText":
        return this.set(s.target, m.if(
          m.i32.eqz(this.get(s.src)),
          this.b.stringValue("<undefined>"),
          this.rt("fw_cg_template_text", [this.get(s.src)]),
        ));
      case "makeArray":
        return this.set(s.target, this.rt("fw_array_new", [m.i32.const(4)]));
      case "makeObject":
        return this.set(s.target, this.rt("fw_object_new", []));
      case "makeSet":
        return this.set(s.target, this.rt("fw_set_new", []));
      case "arrayAppend":
        return this.rt("fw_array_append", [this.get(s.array), this.operand(s.value)], binaryen.none);
      case "setAdd":
        return this.rt("fw_set_add", [this.get(s.set), this.operand(s.value)], binaryen.none);
      case "objectInsert": {
        if (!s.once) return this.rt("fw_object_insert", [this.get(s.object), this.operand(s.key), this.operand(s.value)], binaryen.none);
        const key = this.temp();
        const value = this.temp();
        const old = this.temp();
        return m.block(null, [
          this.set(key, this.operand(s.key)),
          this.set(value, this.operand(s.value)),
          this.set(old, this.rt("fw_object_get", [this.get(s.object), this.get(key)])),
          m.if(
            m.i32.and(m.i32.ne(this.get(old), m.i32.const(0)), m.i32.eqz(this.rt("fw_value_equal", [this.get(old), this.get(value)]))),
            m.block(null, [this.b.abortWith("eval_conflict_error: object keys must be unique"), m.unreachable()]),
          ),
          this.rt("fw_object_insert", [this.get(s.object), this.get(key), this.get(value)], binaryen.none),
        ]);
      }
      case "objectChild": {
        const key = this.temp();
        return m.block(null, [
          this.set(key, this.operand(s.key)),
          this.set(s.target, this.rt("fw_object_get", [this.get(s.object), this.get(key)])),
          m.if(
            m.i32.eqz(this.get(s.target)),
            m.block(null, [
              this.set(s.target, this.rt(s.set ? "fw_set_new" : "fw_object_new", [])),
              this.rt("fw_object_insert", [this.get(s.object), this.get(key), this.get(s.target)], binaryen.none),
            ]),
            m.if(
              m.i32.ne(this.rt("fw_value_type", [this.get(s.target)]), m.i32.const(s.set ? 7 : 6)),
              m.block(null, [this.b.abortWith("eval_conflict_error: object keys must be unique"), m.unreachable()]),
            ),
          ),
        ]);
      }
      case "objectCopy": {
        const src = this.temp();
        return m.block(null, [this.set(src, this.operand(s.src)), this.copyObject(src, s.target)]);
      }
      case "upsertPath":
        return this.upsert(s.src, s.path, s.value, s.target);
      case "assignOnce": {
        const v = this.temp();
        return m.block(null, [
          this.set(v, this.operand(s.value)),
          m.if(
            m.i32.eqz(this.get(s.target)),
            this.set(s.target, this.get(v)),
            m.if(
              m.i32.eqz(this.rt("fw_value_equal", [this.get(s.target), this.get(v)])),
              m.block(null, [this.b.abortWith(s.message), m.unreachable()]),
            ),
          ),
        ]);
      }
      case "scan": {
        const i = this.temp();
        const done = this.label();
        const next = this.label();
        const body = this.label();
        return m.block(done, [
          this.set(i, m.i32.const(-1)),
          m.loop(next, m.block(null, [
            this.set(i, this.rt("fw_iter_next", [this.get(s.src), this.get(i)])),
            m.br(done, m.i32.eq(this.get(i), m.i32.const(-1))),
            this.set(s.key, this.rt("fw_iter_key", [this.get(s.src), this.get(i)])),
            this.set(s.value, this.rt("fw_iter_value", [this.get(s.src), this.get(i)])),
            m.block(body, this.stmts(s.body, body)),
            m.br(next),
          ])),
        ]);
      }
      case "block": {
        const l = this.label();
        return m.block(l, this.stmts(s.body, l));
      }
      case "not": {
        const l = this.label();
        return m.block(l, [...this.stmts(s.body, l), m.br(fail)]);
      }
      case "abort":
        return m.block(null, [this.b.abortWith(s.message), m.unreachable()]);
      case "cacheGet":
        return m.block(null, [
          this.failIf(this.get(LOCAL_MOCKED), fail),
          this.set(s.target, m.global.get(cacheGlobal(s.slot), binaryen.i32)),
          this.failIf(m.i32.eqz(this.get(s.target)), fail),
        ]);
      case "cacheSet":
        return m.if(m.i32.eqz(this.get(LOCAL_MOCKED)), m.global.set(cacheGlobal(s.slot), this.get(s.value)));
      case "mockGet":
        return m.block(null, [
          this.set(s.target, m.global.get(mockGlobal(s.slot), binaryen.i32)),
          this.failIf(m.i32.eqz(this.get(s.target)), fail),
        ]);
      case "mockSet":
        return m.global.set(mockGlobal(s.slot), this.operand(s.value));
      case "return":
        return m.return(this.get(s.value));
    }
  }

  /** target := shallow copy of the object in local src (a new object when src is not an object). */
  private copyObject(src: number, target: number): Expr {
    const m = this.m;
    const i = this.temp();
    const done = this.label();
    const next = this.label();
    return m.block(null, [
      this.set(target, this.rt("fw_object_new", [])),
      m.if(m.i32.eq(this.rt("fw_value_type", [this.get(src)]), m.i32.const(6)), m.block(done, [
        this.set(i, m.i32.const(-1)),
        m.loop(next, m.block(null, [
          this.set(i, this.rt("fw_iter_next", [this.get(src), this.get(i)])),
          m.br(done, m.i32.eq(this.get(i), m.i32.const(-1))),
          this.rt("fw_object_insert", [this.get(target), this.rt("fw_iter_key", [this.get(src), this.get(i)]), this.rt("fw_iter_value", [this.get(src), this.get(i)])], binaryen.none),
          m.br(next),
        ])),
      ])),
    ]);
  }

  private upsert(src: Operand, path: readonly Operand[], value: Operand, target: number): Expr {
    const m = this.m;
    if (path.length === 0) return this.set(target, this.operand(value));
    const out: Expr[] = [];
    let curSrc = this.temp();
    out.push(this.set(curSrc, this.operand(src)));
    const v = this.temp();
    out.push(this.set(v, this.operand(value)));
    const root = this.temp();
    out.push(this.copyObject(curSrc, root));
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as Operand;
      const childSrc = this.temp();
      const child = this.temp();
      out.push(this.set(childSrc, m.select(
        m.i32.eq(this.rt("fw_value_type", [this.get(curSrc)]), m.i32.const(6)),
        this.rt("fw_object_get", [this.get(curSrc), this.operand(key)]),
        m.i32.const(0),
      )));
      out.push(this.copyObject(childSrc, child));
      out.push(this.rt("fw_object_insert", [this.get(node), this.operand(key), this.get(child)], binaryen.none));
      node = child;
      curSrc = childSrc;
    }
    out.push(this.rt("fw_object_insert", [this.get(node), this.operand(path[path.length - 1] as Operand), this.get(v)], binaryen.none));
    out.push(this.set(target, this.get(root)));
    return m.block(null, out);
  }

  private builtin(name: string, args: readonly Operand[], target: number): Expr {
    const m = this.m;
    const a = (i: number): Expr => this.operand(args[i] as Operand);
    const bool = (e: Expr): Expr => this.set(target, this.rt("fw_boolean", [e]));
    const cmp = (): Expr => this.rt("fw_value_compare", [a(0), a(1)]);
    const zero = (): Expr => m.i32.const(0);
    switch (name) {
      case "equal":
        return bool(this.rt("fw_value_equal", [a(0), a(1)]));
      case "neq":
        return bool(m.i32.eqz(this.rt("fw_value_equal", [a(0), a(1)])));
      case "lt":
        return bool(m.i32.lt_s(cmp(), zero()));
      case "lte":
        return bool(m.i32.le_s(cmp(), zero()));
      case "gt":
        return bool(m.i32.gt_s(cmp(), zero()));
      case "gte":
        return bool(m.i32.ge_s(cmp(), zero()));
      case "plus":
      case "mul":
        return this.arith(name, args, target);
      case "minus":
        if (NATIVE_BUILTINS.get("minus")?.arity === 2) return this.native("minus", args, target);
        return this.arith(name, args, target);
      case "count": {
        if (NATIVE_BUILTINS.get("count")?.arity === 1) return this.native("count", args, target);
        const x = this.temp();
        const t = (): Expr => this.rt("fw_value_type", [this.get(x)]);
        return m.block(null, [
          this.set(x, a(0)),
          m.if(
            m.i32.ge_u(t(), m.i32.const(5)),
            this.set(target, this.rt("fw_number_i64", [m.i64.extend_u(this.rt("fw_value_length", [this.get(x)]))])),
            this.hostCall(name, [{ k: "local", l: x }], target),
          ),
        ]);
      }
      case "internal.member_2": {
        const coll = this.temp();
        const x = this.temp();
        const i = this.temp();
        const done = this.label();
        const next = this.label();
        return m.block(done, [
          this.set(x, a(0)),
          this.set(coll, a(1)),
          this.set(target, this.rt("fw_boolean", [m.i32.const(0)])),
          this.set(i, m.i32.const(-1)),
          m.loop(next, m.block(null, [
            this.set(i, this.rt("fw_iter_next", [this.get(coll), this.get(i)])),
            m.br(done, m.i32.eq(this.get(i), m.i32.const(-1))),
            m.if(this.rt("fw_value_equal", [this.rt("fw_iter_value", [this.get(coll), this.get(i)]), this.get(x)]), m.block(null, [
              this.set(target, this.rt("fw_boolean", [m.i32.const(1)])),
              m.br(done),
            ])),
            m.br(next),
          ])),
        ]);
      }
      case "internal.member_3": {
        const found = this.temp();
        return m.block(null, [
          this.set(found, this.rt("fw_value_get", [a(2), a(0)])),
          bool(zero()),
          m.if(this.get(found), bool(this.rt("fw_value_equal", [this.get(found), a(1)]))),
        ]);
      }
      default:
        if (NATIVE_BUILTINS.get(name)?.arity === args.length) return this.native(name, args, target);
        return this.hostCall(name, args, target);
    }
  }

  /**
   * A native runtime builtin (`fwb_*`). On 0 with an error recorded: when strict, the evaluation aborts
   * (`eval_type_error: <name>: <message>` or `eval_builtin_error: …`); otherwise, as in OPA, the error is
   * cleared and the call is undefined.
   */
  private native(name: string, args: readonly Operand[], target: number): Expr {
    const m = this.m;
    const exportName = NATIVE_BUILTINS.get(name)?.export ?? "";
    const abortWith = (code: string): Expr => {
      // As OPA: `file:line: code: name: message`.
      const prefix = this.b.data.addString(`${this.builtinLoc ? `${this.builtinLoc}: ` : ""}${code}: ${name}: `);
      return m.block(null, [
        this.b.abortWithAddress(this.rt("fw_cg_cstr_concat", [m.i32.const(prefix.offset), m.i32.const(prefix.length), this.rt("fw_builtin_error_message", [])])),
        m.unreachable(),
      ]);
    };
    const kind = (): Expr => this.rt("fw_builtin_error_kind", []);
    return m.block(null, [
      this.set(target, this.rt(exportName, args.map((a) => this.operand(a)))),
      m.if(m.i32.and(m.i32.eqz(this.get(target)), m.i32.ne(kind(), m.i32.const(0))), m.block(null, [
        ...(this.strict
          ? [m.if(m.i32.eq(kind(), m.i32.const(1)), abortWith("eval_type_error")), abortWith("eval_builtin_error")]
          : [this.rt("fw_builtin_error_clear", [], binaryen.none)]),
      ])),
    ]);
  }

  private arith(name: "plus" | "minus" | "mul", args: readonly Operand[], target: number): Expr {
    const m = this.m;
    const x = this.temp();
    const y = this.temp();
    const fn = name === "plus" ? "fw_number_add" : name === "minus" ? "fw_number_sub" : "fw_number_mul";
    const isNum = (l: number): Expr => m.i32.eq(this.rt("fw_value_type", [this.get(l)]), m.i32.const(3));
    return m.block(null, [
      this.set(x, this.operand(args[0] as Operand)),
      this.set(y, this.operand(args[1] as Operand)),
      m.if(
        m.i32.and(isNum(x), isNum(y)),
        this.set(target, this.rt(fn, [this.get(x), this.get(y)])),
        this.hostCall(name, [{ k: "local", l: x }, { k: "local", l: y }], target),
      ),
    ]);
  }

  /**
   * A host builtin (`opa_builtinN`). Those in VALUE_TEXT_BUILTINS take their arguments and give their result
   * as strings in Rego value syntax (sets and exact numbers survive the SDK's JSON protocol).
   */
  private hostCall(name: string, args: readonly Operand[], target: number): Expr {
    if (args.length > 4) throw new CodegenError(`builtin ${name}: host builtins take at most 4 arguments`);
    if (VALUE_TEXT_BUILTINS.has(name)) {
      const id = this.b.builtinId(valueTextName(name));
      const texts = args.map((o) => this.rt("fw_cg_value_text", [this.operand(o)]));
      return this.set(target, this.rt("fw_cg_value_parse", [this.rt(`fw_builtin${args.length}`, [this.m.i32.const(id), this.get(LOCAL_CTX), ...texts])]));
    }
    const id = this.b.builtinId(name);
    return this.set(target, this.rt(`fw_builtin${args.length}`, [this.m.i32.const(id), this.get(LOCAL_CTX), ...args.map((o) => this.operand(o))]));
  }
}
