/**
 * The planner: turns a `CheckedProgram` and a list of entrypoints into IR (`src/rego/planner/ir-program.ts`, the node types; `src/rego/ir/` prints them).
 *
 * Bodies are planned in continuation-passing style: every literal receives "what comes next", so that an
 * iteration (`scan`) contains the rest of the body and a failure ends the innermost block. Rules become IR
 * functions (complete rules, `default`, `else`, partial sets/objects, ref heads), results are cached per
 * evaluation unless a `with` modifier is active, and refs into `data` merge base documents with rules.
 */
import type { Body, CallTerm, Expr, RefTerm, Term, With } from "../parser/nodes.js";
import type { CheckedProgram, CheckedRule, RuleGroup } from "../check/checked-program.js";
import { isGroundTermWith } from "../ast/classify-rule.js";
import { lookupBuiltin } from "../builtins/builtin-table.js";
import { operatorName } from "../check/term-utils.js";
import {
  FIRST_FREE_LOCAL, LOCAL_DATA, LOCAL_INPUT, LOCAL_MOCKED,
  type IrFunction, type IrProgram, type Local, type Operand, type Stmt,
} from "./ir-program.js";

/** A construct the planner does not support (reported as a compile diagnostic). */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanError";
  }
}

export const CONFLICT_COMPLETE = "eval_conflict_error: complete rules must not produce multiple outputs";
export const CONFLICT_FUNCTION = "eval_conflict_error: functions must not produce multiple outputs for same inputs";
export const CONFLICT_OBJECT = "eval_conflict_error: object keys must be unique";

type Cont = () => void;

/** What a `with` replaces a function, builtin or document with. */
type Replacement =
  | { kind: "func"; name: string; ctx: MockCtx | undefined }
  | { kind: "value"; slot: number };

/** The `with` replacements in force while planning (functions planned under it get their own copies). */
interface MockCtx {
  id: number;
  entries: ReadonlyMap<string, Replacement>;
}
type ValueCont = (v: Operand) => void;

const TRUE: Operand = { k: "bool", v: true };
const FALSE: Operand = { k: "bool", v: false };

const NATIVE_BOOLEAN_OPS = new Set(["equal", "neq", "lt", "lte", "gt", "gte"]);

export interface PlanOptions {
  /**
   * Packages (`data.x` names) holding generated queries: their rules are planned and reachable as
   * entrypoints, but they are not part of the `data` document that rules see (a query reading `data` does
   * not read itself), as OPA evaluates a query outside `data`.
   */
  queryPackages?: readonly string[];
}

/** Plans `entrypoints` (paths like `x/p` or `data.x.p`) of a checked program. */
export function planProgram(program: CheckedProgram, entrypoints: readonly string[], options: PlanOptions = {}): IrProgram {
  return new ProgramPlanner(program, options.queryPackages ?? []).plan(entrypoints);
}

/** Entrypoint name → data path (`x/p` and `data.x.p` both give `["data","x","p"]`). */
export function entrypointPath(entrypoint: string): string[] {
  const parts = entrypoint.includes("/") ? entrypoint.split("/").filter((p) => p !== "") : entrypoint.split(".");
  if (parts[0] === "data") parts.shift();
  return ["data", ...parts];
}

class ProgramPlanner {
  private readonly functions: IrFunction[] = [];
  private readonly planned = new Set<string>();
  private readonly groups = new Map<string, RuleGroup>();
  /** Path key → child segments that lead to rules. */
  private readonly children = new Map<string, Set<string>>();
  private cacheSlots = 0;
  mockSlots = 0;
  mockContexts = 0;

  /** Path keys of the query packages (left out of enumerated documents). */
  private readonly hidden: ReadonlySet<string>;

  constructor(private readonly program: CheckedProgram, queryPackages: readonly string[]) {
    this.hidden = new Set(queryPackages.map((name) => name.split(".").join("\u0000")));
    for (const g of program.rules) {
      this.groups.set(g.path.join("\u0000"), g);
      this.addVirtualPath(g.path);
    }
    // A package is a virtual document even without rules (an empty object, merged with base data there).
    for (const m of program.modules) this.addVirtualPath(m.package, true);
  }

  private addVirtualPath(path: readonly string[], includeLast = false): void {
    const end = includeLast ? path.length + 1 : path.length;
    for (let i = 1; i < end; i++) {
      const key = path.slice(0, i).join("\u0000");
      let set = this.children.get(key);
      if (!set) this.children.set(key, (set = new Set()));
      if (i < path.length) set.add(path[i] as string);
    }
  }

  plan(entrypoints: readonly string[]): IrProgram {
    const eps = entrypoints.map((name, i) => {
      const path = entrypointPath(name);
      const fn = `entry$${i}`;
      this.defineFunction(fn, 0, (p) => {
        const r = p.newLocal();
        p.emit({ op: "reset", target: r });
        p.block(() => p.planDataRef(path.slice(1).map(constString), (v) => p.emit({ op: "assign", target: r, source: v })));
        p.emit({ op: "return", value: r });
      });
      return { name: name.startsWith("data.") ? path.slice(1).join("/") : name, func: fn };
    });
    return { functions: this.functions, entrypoints: eps, cacheSlots: this.cacheSlots, mockSlots: this.mockSlots };
  }

  group(path: readonly string[]): RuleGroup | undefined {
    return this.groups.get(path.join("\u0000"));
  }

  groupByName(name: string): RuleGroup | undefined {
    const i = this.program.ruleIndex[name];
    return i === undefined ? undefined : this.program.rules[i];
  }

  /** The nearest rule groups strictly beneath `path` (none of them beneath another). */
  descendantGroups(path: readonly string[]): RuleGroup[] {
    const under = (p: readonly string[], q: readonly string[]): boolean => q.length > p.length && p.every((s, i) => q[i] === s);
    const all = this.program.rules.filter((g) => under(path, g.path));
    return all.filter((g) => !all.some((o) => o !== g && under(o.path, g.path)));
  }

  childSegments(path: readonly string[]): Set<string> | undefined {
    return this.children.get(path.join("\u0000"));
  }

  /** The child segments of `path` that are part of the `data` document (query packages left out). */
  documentSegments(path: readonly string[]): string[] {
    return [...(this.childSegments(path) ?? [])].filter((seg) => !this.hidden.has([...path, seg].join("\u0000")));
  }

  defineFunction(name: string, params: number, build: (p: FunctionPlanner) => void, mocks?: MockCtx): void {
    if (this.planned.has(name)) return;
    this.planned.add(name);
    const p = new FunctionPlanner(this, params, mocks);
    const fn: IrFunction = { name, params, locals: 0, body: p.body };
    this.functions.push(fn);
    build(p);
    fn.locals = p.localCount;
  }

  /** Function computing a rule group's value (planned on first use). */
  ruleFunction(g: RuleGroup, mocks?: MockCtx): string {
    const suffix = mocks ? `@${mocks.id}` : "";
    const name = g.kind === "function" ? `fn$${g.name}${suffix}` : `rule$${g.name}${suffix}`;
    if (this.planned.has(name)) return name;
    if (g.kind === "function") {
      this.defineFunction(name, g.arity ?? 0, (p) => p.planFunctionGroup(g), mocks);
    } else {
      const slot = this.cacheSlots++;
      this.defineFunction(name, 0, (p) => p.planRuleGroup(g, slot), mocks);
    }
    return name;
  }

  /** Function building the virtual document at a path that has rules beneath it. */
  virtualFunction(path: readonly string[], mocks?: MockCtx): string {
    const name = `doc$${path.join(".")}${mocks ? `@${mocks.id}` : ""}`;
    this.defineFunction(name, 0, (p) => p.planVirtualDoc(path), mocks);
    return name;
  }
}

function constString(s: string): Term {
  return { type: "String", value: s, span: DUMMY_SPAN };
}

const DUMMY_SPAN = { file: "", start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

class FunctionPlanner {
  readonly body: Stmt[] = [];
  private current: Stmt[] = this.body;
  localCount: number;
  private vars = new Map<string, Local>();

  constructor(private readonly prog: ProgramPlanner, params: number, private mocks: MockCtx | undefined) {
    this.localCount = FIRST_FREE_LOCAL + params;
  }

  newLocal(): Local {
    return this.localCount++;
  }

  emit(s: Stmt): void {
    this.current.push(s);
  }

  private nested(into: Stmt[], fn: Cont): void {
    const saved = this.current;
    this.current = into;
    try {
      fn();
    } finally {
      this.current = saved;
    }
  }

  /** Runs `fn` inside a new block (its failures end the block); variable bindings made inside do not leak. */
  block(fn: Cont): void {
    const body: Stmt[] = [];
    const vars = new Map(this.vars);
    this.nested(body, fn);
    this.vars = vars;
    this.emit({ op: "block", body });
  }

  /**
   * Negation: plans `fn` with a continuation that records success (iterations inside may succeed on any
   * element, so success is recorded where the body ends, not after it); fails when it succeeded.
   */
  private not(fn: (done: Cont) => void): void {
    const found = this.newLocal();
    this.emit({ op: "reset", target: found });
    this.block(() => fn(() => this.emit({ op: "assign", target: found, source: TRUE })));
    this.emit({ op: "isUndefined", l: found });
  }

  private toLocal(v: Operand): Local {
    if (v.k === "local") return v.l;
    const l = this.newLocal();
    this.emit({ op: "assign", target: l, source: v });
    return l;
  }

  private scan(src: Operand, fn: (key: Local, value: Local) => void): void {
    const s = this.toLocal(src);
    const key = this.newLocal();
    const value = this.newLocal();
    const body: Stmt[] = [];
    this.nested(body, () => fn(key, value));
    this.emit({ op: "scan", src: s, key, value, body });
  }

  // ---------------------------------------------------------------------------------------------------
  // Rule groups
  // ---------------------------------------------------------------------------------------------------

  planRuleGroup(g: RuleGroup, slot: number): void {
    const r = this.newLocal();
    this.block(() => {
      this.emit({ op: "cacheGet", slot, target: r });
      this.emit({ op: "return", value: r });
    });
    // A complete rule whose ref head continues past the group path with non-string keys (`q[1] := 1`)
    // defines entries of an object at the group path, like a partial object.
    const objectLike = isObjectLikeComplete(g);
    if (g.kind === "complete" && !objectLike) {
      this.emit({ op: "reset", target: r });
      for (const rule of g.rules) this.planCompleteClause(rule, r, CONFLICT_COMPLETE, () => undefined);
      const def = g.defaultRule;
      if (def?.head.value) {
        const value = def.head.value;
        this.block(() => {
          this.emit({ op: "isUndefined", l: r });
          this.freshVars(() => this.planTerm(value, (v) => this.emit({ op: "assign", target: r, source: v })));
        });
      }
    } else if (g.kind === "partial-set") {
      this.emit({ op: "makeSet", target: r });
      let objectOfSets = false;
      for (const rule of g.rules) {
        const key = rule.head.key;
        if (!key) throw new PlanError(`rule ${g.name}: partial set rule without a key`);
        const ref = rule.head.ref;
        const extra = ref.type === "Ref" ? ref.path.slice(g.path.length - 1) : [];
        if (extra.length > 0 && g.rules.some((other) => other.head.ref.type !== "Ref" || other.head.ref.path.length === g.path.length - 1)) {
          throw new PlanError(`rule ${g.name}: multi-value rules with and without a variable ref head are not supported together`);
        }
        if (extra.length > 0 && !objectOfSets) {
          // `p[x] contains y`: the document is an object whose leaves are sets.
          this.emit({ op: "makeObject", target: r });
          objectOfSets = true;
        }
        this.freshVars(() => this.block(() => this.planBody(rule.body, () => this.planTerms(extra, (keys) => this.planTerm(key, (v) => {
          let cur = r;
          keys.forEach((k, i) => {
            const child = this.newLocal();
            this.emit({ op: "objectChild", object: cur, key: k, target: child, set: i === keys.length - 1 });
            cur = child;
          });
          this.emit({ op: "setAdd", set: cur, value: v });
        })))));
      }
    } else {
      this.emit({ op: "makeObject", target: r });
      for (const rule of g.rules) {
        const ref = rule.head.ref;
        const value = rule.head.value;
        if (ref.type !== "Ref" || !value) throw new PlanError(`rule ${g.name}: unexpected partial object head`);
        const extra = ref.path.slice(g.path.length - 1);
        if (extra.length === 0) throw new PlanError(`rule ${g.name}: partial object rule without a key`);
        this.freshVars(() => this.block(() => this.planBody(rule.body, () => this.planTerms(extra, (keys) => this.planTerm(value, (v) => {
          let cur = r;
          for (let i = 0; i < keys.length - 1; i++) {
            const child = this.newLocal();
            this.emit({ op: "objectChild", object: cur, key: keys[i] as Operand, target: child });
            cur = child;
          }
          this.emit({ op: "objectInsert", object: cur, key: keys[keys.length - 1] as Operand, value: v, once: true });
        })))));
      }
    }
    if (documentIsObject(g)) this.mergeDescendantGroups(g, r);
    this.emit({ op: "cacheSet", slot, value: r });
    this.emit({ op: "return", value: r });
  }

  /**
   * Rule groups at paths beneath an object-valued group (`p.q.r := 1` under `p.q[s] := 2`, `p.b contains "foo"`
   * under `p[q] contains r`) add their documents into its object, as OPA's ref heads do. A document placed
   * where the group already has a value, or inside one of its rules' values, is a conflict.
   */
  private mergeDescendantGroups(g: RuleGroup, r: Local): void {
    const descendants = this.prog.descendantGroups(g.path).filter((d) => d.kind !== "function");
    if (descendants.length === 0) return;
    const depths = new Set(g.rules.map((rule) => (rule.head.ref.type === "Ref" ? rule.head.ref.path.length : 0) - (g.path.length - 1)));
    const str = (v: string): Operand => ({ k: "string", v });
    for (const d of descendants) {
      const suffix = d.path.slice(g.path.length);
      // The group's own values are whole: another rule cannot reach inside one.
      for (const depth of depths) {
        if (depth <= 0 || depth >= suffix.length) continue;
        this.block(() => {
          let cur: Operand = { k: "local", l: r };
          for (const seg of suffix.slice(0, depth)) {
            const t = this.newLocal();
            this.emit({ op: "dot", src: cur, key: str(seg), target: t });
            cur = { k: "local", l: t };
          }
          this.emit({ op: "abort", message: CONFLICT_OBJECT });
        });
      }
    }
    for (const d of descendants) {
      const suffix = d.path.slice(g.path.length);
      this.block(() => {
        const v = this.newLocal();
        const mocked = this.mocks?.entries.get(d.name);
        if (mocked?.kind === "value") this.emit({ op: "mockGet", slot: mocked.slot, target: v });
        else this.emit({ op: "call", func: this.prog.ruleFunction(d, this.mocks), args: [], target: v });
        let cur = r;
        for (const seg of suffix.slice(0, -1)) {
          const child = this.newLocal();
          this.emit({ op: "objectChild", object: cur, key: str(seg), target: child });
          cur = child;
        }
        const last = str(suffix[suffix.length - 1] as string);
        const value: Operand = { k: "local", l: v };
        if (d.kind === "partial-set" && !documentIsObject(d)) {
          const set = this.newLocal();
          this.emit({ op: "objectChild", object: cur, key: last, target: set, set: true });
          this.scan(value, (_key, elem) => this.emit({ op: "setAdd", set, value: { k: "local", l: elem } }));
        } else if (documentIsObject(d)) {
          const obj = this.newLocal();
          this.emit({ op: "objectChild", object: cur, key: last, target: obj });
          this.scan(value, (key, elem) => this.emit({ op: "objectInsert", object: obj, key: { k: "local", l: key }, value: { k: "local", l: elem }, once: true }));
        } else {
          this.emit({ op: "objectInsert", object: cur, key: last, value, once: true });
        }
      });
    }
  }

  planFunctionGroup(g: RuleGroup): void {
    const r = this.newLocal();
    this.emit({ op: "reset", target: r });
    const arity = g.arity ?? 0;
    for (const rule of g.rules) {
      this.planCompleteClause(rule, r, CONFLICT_FUNCTION, () => {
        const args = rule.head.args ?? [];
        if (args.length !== arity) throw new PlanError(`function ${g.name}: clauses with different arities`);
        return args;
      });
    }
    const def = g.defaultRule;
    if (def?.head.value) {
      const value = def.head.value;
      this.block(() => {
        this.emit({ op: "isUndefined", l: r });
        this.freshVars(() => this.planTerm(value, (v) => this.emit({ op: "assign", target: r, source: v })));
      });
    }
    this.emit({ op: "return", value: r });
  }

  private freshVars(fn: Cont): void {
    const saved = this.vars;
    this.vars = new Map();
    try {
      fn();
    } finally {
      this.vars = saved;
    }
  }

  /** A clause and its `else` chain: the first clause whose body succeeds gives the value. */
  private planCompleteClause(rule: CheckedRule, result: Local, conflict: string, params: () => Term[] | undefined): void {
    const chain = this.newLocal();
    this.emit({ op: "reset", target: chain });
    const clauses: Array<{ body: Body; value: Term | undefined }> = [{ body: rule.body, value: rule.head.value }];
    for (let e = rule.else; e; e = e.else) clauses.push({ body: e.body, value: e.value });
    clauses.forEach((c, i) => {
      this.freshVars(() => this.block(() => {
        if (i > 0) this.emit({ op: "isUndefined", l: chain });
        // Parameters are unified before the body, except template strings: they read variables that the
        // body binds (`f($"{x}") if { x = "a" }`), so they are compared once the body has succeeded.
        const ps = (params() ?? []).map((term, j) => ({ term, j }));
        const bindParams = (list: ReadonlyArray<{ term: Term; j: number }>, k: Cont): void => {
          const go = (n: number): void => {
            const p = list[n];
            if (!p) return k();
            this.unifyValue(p.term, { k: "local", l: FIRST_FREE_LOCAL + p.j }, () => go(n + 1));
          };
          go(0);
        };
        const deferred = ps.filter((p) => containsTemplateString(p.term));
        bindParams(ps.filter((p) => !deferred.includes(p)), () => this.planBody(c.body, () => bindParams(deferred, () => {
          const value = c.value ?? { type: "Boolean", value: true, span: DUMMY_SPAN };
          this.planTerm(value, (v) => this.emit({ op: "assignOnce", target: chain, value: v, message: conflict }));
        })));
      }));
    });
    this.block(() => {
      this.emit({ op: "isDefined", l: chain });
      this.emit({ op: "assignOnce", target: result, value: { k: "local", l: chain }, message: conflict });
    });
  }

  /** The virtual document at `path`: base data there (if an object) merged with the rules beneath. */
  planVirtualDoc(path: readonly string[]): void {
    const base = this.newLocal();
    this.emit({ op: "reset", target: base });
    this.block(() => this.baseData(path, (v) => this.emit({ op: "assign", target: base, source: v })));
    const r = this.newLocal();
    this.emit({ op: "objectCopy", src: { k: "local", l: base }, target: r });
    for (const seg of this.prog.documentSegments(path)) {
      const child = [...path, seg];
      const g = this.prog.group(child);
      if (g?.kind === "function") continue;
      this.block(() => {
        const v = this.newLocal();
        const mocked = this.mocks?.entries.get(child.join("."));
        if (mocked?.kind === "value") this.emit({ op: "mockGet", slot: mocked.slot, target: v });
        else if (g) this.emit({ op: "call", func: this.prog.ruleFunction(g, this.mocks), args: [], target: v });
        else this.emit({ op: "call", func: this.prog.virtualFunction(child, this.mocks), args: [], target: v });
        this.emit({ op: "objectInsert", object: r, key: { k: "string", v: seg }, value: { k: "local", l: v }, once: false });
      });
    }
    this.emit({ op: "return", value: r });
  }

  private baseData(path: readonly string[], k: ValueCont): void {
    let cur: Operand = { k: "local", l: LOCAL_DATA };
    for (const seg of path.slice(1)) {
      const t = this.newLocal();
      this.emit({ op: "dot", src: cur, key: { k: "string", v: seg }, target: t });
      cur = { k: "local", l: t };
    }
    k(cur);
  }

  // ---------------------------------------------------------------------------------------------------
  // Bodies and expressions
  // ---------------------------------------------------------------------------------------------------

  planBody(body: Body, k: Cont): void {
    const go = (i: number): void => {
      const e = body.exprs[i];
      if (!e) return k();
      this.planExpr(e, () => go(i + 1));
    };
    go(0);
  }

  private planExpr(e: Expr, k: Cont): void {
    const inner = (k2: Cont): void => {
      if (e.negated) {
        this.not((done) => this.planExprInner(e, done));
        k2();
      } else this.planExprInner(e, k2);
    };
    if (e.with.length > 0) this.planWith(e.with, inner, k);
    else inner(k);
  }

  /** A `with` value that names a function or builtin (a function replacement), else undefined. */
  private functionReplacement(value: Term): string | undefined {
    if (value.type === "Var") {
      if (this.vars.has(value.name)) return undefined;
      return lookupBuiltin(value.name) ? value.name : undefined;
    }
    if (value.type !== "Ref") return undefined;
    const name = operatorName(value);
    if (name === undefined) return undefined;
    if (name.startsWith("data.")) return this.prog.groupByName(name)?.kind === "function" ? name : undefined;
    return lookupBuiltin(name) ? name : undefined;
  }

  /**
   * The mocks a replacement function runs under: the replaced documents stay, but no function or builtin is
   * mocked inside a mock (as in OPA, so mocks never call each other).
   */
  private documentMocks(): MockCtx | undefined {
    const outer = this.mocks;
    if (!outer) return undefined;
    const entries = new Map([...outer.entries].filter(([name]) => name.startsWith("data.") && this.prog.group(name.split("."))?.kind !== "function"));
    if (entries.size === outer.entries.size) return outer;
    if (entries.size === 0) return undefined;
    return { id: this.prog.mockContexts++, entries };
  }

  private planWith(withs: readonly With[], inner: (k: Cont) => void, k: Cont): void {
    const updates: Array<{ root: Local; path: string[]; value: Term }> = [];
    const mockFuncs = new Map<string, Replacement>();
    const mockValues: Array<{ name: string; value: Term }> = [];
    for (const w of withs) {
      const t = w.target;
      const head = t.type === "Var" ? t.name : t.head.type === "Var" ? t.head.name : "";
      const path = t.type === "Ref" ? t.path : [];
      if (path.some((p) => p.type !== "String")) throw new PlanError("with: target path must be constant");
      const strs = path.map((p) => (p.type === "String" ? p.value : ""));
      if (head === "input") {
        updates.push({ root: LOCAL_INPUT, path: strs, value: w.value });
        continue;
      }
      const name = [head, ...strs].join(".");
      const replacement = this.functionReplacement(w.value);
      if (head === "data") {
        const full = ["data", ...strs];
        for (let i = 1; i < full.length; i++) {
          if (this.prog.group(full.slice(0, i))) throw new PlanError(`with: replacing part of rule ${full.slice(0, i).join(".")} is not supported`);
        }
        const g = this.prog.group(full);
        if (g?.kind === "function") {
          if (replacement) mockFuncs.set(name, { kind: "func", name: replacement, ctx: this.documentMocks() });
          else mockValues.push({ name, value: w.value });
        } else if (g || this.prog.childSegments(full)) mockValues.push({ name, value: w.value });
        else updates.push({ root: LOCAL_DATA, path: strs, value: w.value });
        continue;
      }
      if (!lookupBuiltin(name)) throw new PlanError(`with: ${name} is not a builtin, input or data`);
      if (replacement) mockFuncs.set(name, { kind: "func", name: replacement, ctx: this.documentMocks() });
      else mockValues.push({ name, value: w.value });
    }
    const values: Operand[] = [];
    const planned = [...updates.map((u) => u.value), ...mockValues.map((v) => v.value)];
    const planValues = (i: number, done: Cont): void => {
      const term = planned[i];
      if (!term) return done();
      this.planTerm(term, (v) => {
        values[i] = v;
        planValues(i + 1, done);
      });
    };
    planValues(0, () => {
      const savedIn = this.newLocal();
      const savedData = this.newLocal();
      const savedMocked = this.newLocal();
      const newIn = this.newLocal();
      const newData = this.newLocal();
      this.emit({ op: "assign", target: savedIn, source: { k: "local", l: LOCAL_INPUT } });
      this.emit({ op: "assign", target: savedData, source: { k: "local", l: LOCAL_DATA } });
      this.emit({ op: "assign", target: savedMocked, source: { k: "local", l: LOCAL_MOCKED } });
      this.emit({ op: "assign", target: newIn, source: { k: "local", l: LOCAL_INPUT } });
      this.emit({ op: "assign", target: newData, source: { k: "local", l: LOCAL_DATA } });
      updates.forEach((u, i) => {
        const target = u.root === LOCAL_INPUT ? newIn : newData;
        const path = u.path.map((p) => ({ k: "string", v: p }) as Operand);
        this.emit({ op: "upsertPath", src: { k: "local", l: target }, path, value: values[i] as Operand, target });
      });
      const outerMocks = this.mocks;
      let innerMocks = outerMocks;
      if (mockFuncs.size > 0 || mockValues.length > 0) {
        const entries = new Map(outerMocks?.entries ?? []);
        for (const [n, r] of mockFuncs) entries.set(n, r);
        mockValues.forEach((mv, j) => {
          const slot = this.prog.mockSlots++;
          this.emit({ op: "mockSet", slot, value: values[updates.length + j] as Operand });
          entries.set(mv.name, { kind: "value", slot });
        });
        innerMocks = { id: this.prog.mockContexts++, entries };
      }
      const enter = (): void => {
        this.emit({ op: "assign", target: LOCAL_INPUT, source: { k: "local", l: newIn } });
        this.emit({ op: "assign", target: LOCAL_DATA, source: { k: "local", l: newData } });
        this.emit({ op: "assign", target: LOCAL_MOCKED, source: TRUE });
        this.mocks = innerMocks;
      };
      const leave = (): void => {
        this.emit({ op: "assign", target: LOCAL_INPUT, source: { k: "local", l: savedIn } });
        this.emit({ op: "assign", target: LOCAL_DATA, source: { k: "local", l: savedData } });
        this.emit({ op: "assign", target: LOCAL_MOCKED, source: { k: "local", l: savedMocked } });
        this.mocks = outerMocks;
      };
      enter();
      const body: Stmt[] = [];
      this.nested(body, () => inner(() => {
        leave();
        k();
        enter();
      }));
      this.emit({ op: "block", body });
      leave();
    });
  }

  private planExprInner(e: Expr, k: Cont): void {
    const x = e.expr;
    switch (x.type) {
      case "SomeVars":
        return k();
      case "SomeIn":
        return this.planTerm(x.collection, (coll) => this.scan(coll, (key, value) => {
          const bindValue = (): void => this.unifyValue(x.value, { k: "local", l: value }, k);
          if (x.key) this.unifyValue(x.key, { k: "local", l: key }, bindValue);
          else bindValue();
        }));
      case "Every":
        return this.planTerm(x.domain, (dom) => {
          this.emit({ op: "isCollection", a: dom });
          const found = this.newLocal();
          this.emit({ op: "reset", target: found });
          this.block(() => this.scan(dom, (key, value) => {
            const vars = new Map(this.vars);
            if (x.key) this.vars.set(x.key.name, key);
            this.vars.set(x.value.name, value);
            this.not((done) => this.planBody(x.body, done));
            this.emit({ op: "assign", target: found, source: TRUE });
            this.vars = vars;
          }));
          this.emit({ op: "isUndefined", l: found });
          k();
        });
      default: {
        if (x.type === "Call") {
          const name = operatorName(x.operator);
          if (name === "eq" || name === "assign") {
            const [a, b] = x.args;
            if (!a || !b) throw new PlanError("eq: expected two operands");
            for (const [call, other] of [[b, a], [a, b]] as const) {
              const callName = call.type === "Call" ? operatorName(call.operator) : undefined;
              if (call.type === "Call" && callName !== undefined && lookupBuiltin(callName)?.relation && !this.outputArg(call, callName)) {
                // `[path, value] := walk(x)` is `walk(x, [path, value])`: each result is a solution.
                return this.planCall(call, callName, call.args.length, (all) => this.scan(all, (_key, value) => this.unifyValue(other, { k: "local", l: value }, k)));
              }
            }
            return this.unify(a, b, k);
          }
          if (name === "print") return k();
          const out = this.outputArg(x, name);
          if (out && name !== undefined && lookupBuiltin(name)?.relation) {
            // A relation (`walk`) returns all its results as an array: each one is a solution.
            return this.planCall(x, name, x.args.length - 1, (all) => this.scan(all, (_key, value) => this.unifyValue(out, { k: "local", l: value }, k)));
          }
          if (out) return this.planCall(x, name, x.args.length - 1, (v) => this.unifyValue(out, v, k));
        }
        return this.planTerm(x, (v) => {
          this.emit({ op: "notEqual", a: v, b: FALSE });
          k();
        });
      }
    }
  }

  /** The output argument of a call written with one argument more than the callee takes (`count(xs, n)`). */
  private outputArg(call: CallTerm, name: string | undefined): Term | undefined {
    if (name === undefined) return undefined;
    let arity: number | undefined;
    if (name.startsWith("data.")) arity = this.prog.groupByName(name)?.arity;
    else {
      const b = lookupBuiltin(name);
      if (b && b.decl.variadic === undefined) arity = b.decl.args.length;
    }
    if (arity !== undefined && call.args.length === arity + 1) return call.args[arity];
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------
  // Unification
  // ---------------------------------------------------------------------------------------------------

  private isUnboundVar(t: Term): boolean {
    return t.type === "Var" && !this.vars.has(t.name) && t.name !== "input" && t.name !== "data";
  }

  private hasUnbound(t: Term): boolean {
    switch (t.type) {
      case "Var":
        return this.isUnboundVar(t);
      case "Array":
      case "Set":
        return t.items.some((i) => this.hasUnbound(i));
      case "Object":
        return t.entries.some((e) => this.hasUnbound(e.value));
      default:
        return false;
    }
  }

  private unify(a: Term, b: Term, k: Cont): void {
    if (this.hasUnbound(a) && !this.hasUnbound(b)) return this.planTerm(b, (v) => this.unifyValue(a, v, k));
    if (this.hasUnbound(b) && !this.hasUnbound(a)) return this.planTerm(a, (v) => this.unifyValue(b, v, k));
    if (this.hasUnbound(a) && this.hasUnbound(b)) {
      if (a.type === "Array" && b.type === "Array" && a.items.length === b.items.length) {
        const go = (i: number): void => {
          const x = a.items[i];
          const y = b.items[i];
          if (!x || !y) return k();
          this.unify(x, y, () => go(i + 1));
        };
        return go(0);
      }
      if (a.type === "Object" && b.type === "Object" && a.entries.length === b.entries.length) {
        const go = (i: number): void => {
          const x = a.entries[i];
          if (!x) return k();
          const y = b.entries.find((e) => sameConstKey(e.key, x.key));
          if (!y) return;
          this.unify(x.value, y.value, () => go(i + 1));
        };
        return go(0);
      }
      if ((a.type === "Array" && b.type === "Array") || (a.type === "Object" && b.type === "Object")) return; // never unifies
      throw new PlanError("unification of two unbound patterns is not supported");
    }
    this.planTerm(a, (va) => this.planTerm(b, (vb) => {
      this.emit({ op: "equal", a: va, b: vb });
      k();
    }));
  }

  private unifyValue(pattern: Term, v: Operand, k: Cont): void {
    if (pattern.type === "Var" && this.isUnboundVar(pattern)) {
      const l = this.newLocal();
      this.emit({ op: "assign", target: l, source: v });
      this.vars.set(pattern.name, l);
      return k();
    }
    if (pattern.type === "Array" && this.hasUnbound(pattern)) {
      this.emit({ op: "isType", a: v, tag: 5 });
      this.emit({ op: "lenEqual", a: v, n: pattern.items.length });
      const go = (i: number): void => {
        const item = pattern.items[i];
        if (!item) return k();
        const t = this.newLocal();
        this.emit({ op: "dot", src: v, key: { k: "number", v: String(i) }, target: t });
        this.unifyValue(item, { k: "local", l: t }, () => go(i + 1));
      };
      return go(0);
    }
    if (pattern.type === "Object" && this.hasUnbound(pattern)) {
      this.emit({ op: "isType", a: v, tag: 6 });
      this.emit({ op: "lenEqual", a: v, n: pattern.entries.length });
      const go = (i: number): void => {
        const entry = pattern.entries[i];
        if (!entry) return k();
        this.planTerm(entry.key, (key) => {
          const t = this.newLocal();
          this.emit({ op: "dot", src: v, key, target: t });
          this.unifyValue(entry.value, { k: "local", l: t }, () => go(i + 1));
        });
      };
      return go(0);
    }
    if (pattern.type === "Set" && this.hasUnbound(pattern)) throw new PlanError("set patterns with unbound variables are not supported");
    this.planTerm(pattern, (p) => {
      this.emit({ op: "equal", a: p, b: v });
      k();
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Terms
  // ---------------------------------------------------------------------------------------------------

  private planTerms(ts: readonly Term[], k: (vs: Operand[]) => void): void {
    const out: Operand[] = [];
    const go = (start: number): void => {
      let i = start;
      // Plain terms add no control flow, so they are planned in a loop rather than in nested continuations:
      // large literals (thousands of elements) must not exhaust the stack.
      for (; i < ts.length && this.isPlainTerm(ts[i] as Term); i++) {
        let value: Operand | undefined;
        this.planTerm(ts[i] as Term, (v) => {
          value = v;
        });
        if (value === undefined) throw new PlanError("a plain term produced no value");
        out[i] = value;
      }
      const t = ts[i];
      if (!t) return k(out);
      this.planTerm(t, (v) => {
        out[i] = v;
        go(i + 1);
      });
    };
    go(0);
  }

  /** A scalar, a bound variable, or an array/set/object of plain terms: planned without control flow. */
  private isPlainTerm(t: Term): boolean {
    return isGroundTermWith(t, (name) => this.vars.has(name));
  }

  planTerm(t: Term, k: ValueCont): void {
    switch (t.type) {
      case "Null":
        return k({ k: "null" });
      case "Boolean":
        return k({ k: "bool", v: t.value });
      case "Number":
        return k({ k: "number", v: t.value });
      case "String":
        return k({ k: "string", v: t.value });
      case "Var": {
        const l = this.vars.get(t.name);
        if (l !== undefined) return k({ k: "local", l });
        if (t.name === "input") {
          this.emit({ op: "isDefined", l: LOCAL_INPUT });
          return k({ k: "local", l: LOCAL_INPUT });
        }
        if (t.name === "data") return this.planDataRef([], k);
        throw new PlanError(`unbound variable ${t.name}`);
      }
      case "Ref":
        return this.planRef(t, k);
      case "Array":
        return this.planTerms(t.items, (vs) => {
          const a = this.newLocal();
          this.emit({ op: "makeArray", target: a });
          for (const v of vs) this.emit({ op: "arrayAppend", array: a, value: v });
          k({ k: "local", l: a });
        });
      case "Set":
        return this.planTerms(t.items, (vs) => {
          const s = this.newLocal();
          this.emit({ op: "makeSet", target: s });
          for (const v of vs) this.emit({ op: "setAdd", set: s, value: v });
          k({ k: "local", l: s });
        });
      case "Object":
        return this.planTerms(t.entries.flatMap((e) => [e.key, e.value]), (vs) => {
          const o = this.newLocal();
          this.emit({ op: "makeObject", target: o });
          for (let i = 0; i < vs.length; i += 2) this.emit({ op: "objectInsert", object: o, key: vs[i] as Operand, value: vs[i + 1] as Operand, once: false });
          k({ k: "local", l: o });
        });
      case "ArrayComprehension":
      case "SetComprehension": {
        const r = this.newLocal();
        this.emit({ op: t.type === "ArrayComprehension" ? "makeArray" : "makeSet", target: r });
        this.block(() => this.planBody(t.body, () => this.planTerm(t.term, (v) => {
          this.emit(t.type === "ArrayComprehension" ? { op: "arrayAppend", array: r, value: v } : { op: "setAdd", set: r, value: v });
        })));
        return k({ k: "local", l: r });
      }
      case "ObjectComprehension": {
        const r = this.newLocal();
        this.emit({ op: "makeObject", target: r });
        this.block(() => this.planBody(t.body, () => this.planTerm(t.key, (kv) => this.planTerm(t.value, (vv) => {
          this.emit({ op: "objectInsert", object: r, key: kv, value: vv, once: true });
        }))));
        return k({ k: "local", l: r });
      }
      case "Call": {
        const name = operatorName(t.operator);
        return this.planCall(t, name, t.args.length, k);
      }
      case "TemplateString": {
        const parts: Operand[] = [];
        for (const part of t.parts) {
          if (part.type === "TemplateText") {
            parts.push({ k: "string", v: part.value });
            continue;
          }
          const x = part.expr;
          if (x.type === "SomeVars" || x.type === "SomeIn" || x.type === "Every") throw new PlanError("template string: unexpected expression");
          const value = this.newLocal();
          this.emit({ op: "reset", target: value });
          this.block(() => {
            const inner = (k2: Cont): void => this.planTerm(x, (v) => {
              this.emit({ op: "assign", target: value, source: v });
              k2();
            });
            if (part.with.length > 0) this.planWith(part.with, inner, () => undefined);
            else inner(() => undefined);
          });
          const text = this.newLocal();
          this.emit({ op: "templateText", src: value, target: text });
          parts.push({ k: "local", l: text });
        }
        const arr = this.newLocal();
        this.emit({ op: "makeArray", target: arr });
        for (const p of parts) this.emit({ op: "arrayAppend", array: arr, value: p });
        const out = this.newLocal();
        this.emit({ op: "builtin", name: "concat", args: [{ k: "string", v: "" }, { k: "local", l: arr }], target: out });
        return k({ k: "local", l: out });
      }
    }
  }

  private planCall(call: CallTerm, name: string | undefined, argc: number, k: ValueCont): void {
    if (name === undefined) throw new PlanError("call of a non-static function name");
    const args = call.args.slice(0, argc);
    const mocked = this.mocks?.entries.get(name);
    if (mocked?.kind === "value") {
      return this.planTerms(args, () => {
        const t = this.newLocal();
        this.emit({ op: "mockGet", slot: mocked.slot, target: t });
        k({ k: "local", l: t });
      });
    }
    const loc = `${call.span.file}:${call.span.start.line}`;
    if (mocked?.kind === "func") return this.planNamedCall(mocked.name, args, mocked.ctx, k, loc);
    this.planNamedCall(name, args, this.mocks, k, loc);
  }

  /**
   * Call arguments in an order that binds variables before they are read: an argument that is an unbound
   * variable comes after the others, whose refs may bind it (`foo == input.foos[foo]`).
   */
  private planArgs(args: readonly Term[], k: (vs: Operand[]) => void): void {
    const order = args.map((_, i) => i);
    const late = (i: number): boolean => this.isUnboundVar(args[i] as Term);
    if (!order.some(late)) return this.planTerms(args, k);
    order.sort((a, b) => Number(late(a)) - Number(late(b)) || a - b);
    this.planTerms(order.map((i) => args[i] as Term), (vs) => {
      const out: Operand[] = [];
      order.forEach((i, j) => {
        out[i] = vs[j] as Operand;
      });
      k(out);
    });
  }

  /** `loc` (`file:line` of the call) goes with builtin calls into their error messages. */
  private planNamedCall(name: string, args: readonly Term[], mocks: MockCtx | undefined, k: ValueCont, loc?: string): void {
    if (name.startsWith("data.")) {
      const g = this.prog.groupByName(name);
      if (!g || g.kind !== "function") throw new PlanError(`${name} is not a function`);
      const func = this.prog.ruleFunction(g, mocks);
      return this.planArgs(args, (vs) => {
        const t = this.newLocal();
        this.emit({ op: "call", func, args: vs, target: t });
        k({ k: "local", l: t });
      });
    }
    if (name === "eq" || name === "assign") throw new PlanError("unification used as a value");
    if (!lookupBuiltin(name) && !NATIVE_BOOLEAN_OPS.has(name)) throw new PlanError(`unknown function ${name}`);
    this.planArgs(args, (vs) => {
      const t = this.newLocal();
      this.emit({ op: "builtin", name, args: vs, target: t, ...(loc === undefined ? {} : { loc }) });
      k({ k: "local", l: t });
    });
  }

  private planRef(ref: RefTerm, k: ValueCont): void {
    const head = ref.head;
    if (head.type === "Var" && head.name === "data" && !this.vars.has("data")) return this.planDataRef(ref.path, k);
    this.planTerm(head, (v) => this.walk(v, ref.path, 0, k));
  }

  private walk(v: Operand, path: readonly Term[], i: number, k: ValueCont): void {
    const elem = path[i];
    if (!elem) return k(v);
    if (this.hasUnbound(elem)) {
      return this.scan(v, (key, value) => this.unifyValue(elem, { k: "local", l: key }, () => this.walk({ k: "local", l: value }, path, i + 1, k)));
    }
    this.planTerm(elem, (key) => {
      const t = this.newLocal();
      this.emit({ op: "dot", src: v, key, target: t });
      this.walk({ k: "local", l: t }, path, i + 1, k);
    });
  }

  /**
   * `walk` inside base data (JSON): objects there have only string keys, so a constant integer key reads the
   * array element or, failing that, the object member named by its text (`data[2]` is `data["2"]`, as in OPA).
   */
  private walkBase(v: Operand, path: readonly Term[], i: number, k: ValueCont): void {
    const elem = path[i];
    if (elem?.type !== "Number" || !/^-?\d+$/.test(elem.value)) {
      if (!elem || this.hasUnbound(elem)) return this.walk(v, path, i, k);
      return this.planTerm(elem, (key) => {
        const t = this.newLocal();
        this.emit({ op: "dot", src: v, key, target: t });
        this.walkBase({ k: "local", l: t }, path, i + 1, k);
      });
    }
    const t = this.newLocal();
    this.emit({ op: "reset", target: t });
    for (const key of [{ k: "number", v: elem.value }, { k: "string", v: elem.value }] as const) {
      this.block(() => {
        this.emit({ op: "isUndefined", l: t });
        const found = this.newLocal();
        this.emit({ op: "dot", src: v, key, target: found });
        this.emit({ op: "assign", target: t, source: { k: "local", l: found } });
      });
    }
    this.emit({ op: "isDefined", l: t });
    this.walkBase({ k: "local", l: t }, path, i + 1, k);
  }

  /**
   * `data.<prefix>[key]` for a key known only at evaluation: the document of the child segment the key names
   * (only that one is evaluated, so a rule reading `data[x].y` does not evaluate itself), else base data.
   */
  private dispatchDataRef(prefix: readonly string[], key: Operand, k: ValueCont): void {
    const segs = this.prog.documentSegments(prefix);
    const t = this.newLocal();
    this.emit({ op: "reset", target: t });
    for (const seg of segs) {
      this.block(() => {
        this.emit({ op: "equal", a: key, b: { k: "string", v: seg } });
        this.planDataRef([...prefix.slice(1), seg].map(constString), (v) => this.emit({ op: "assign", target: t, source: v }));
      });
    }
    this.block(() => {
      for (const seg of segs) this.emit({ op: "notEqual", a: key, b: { k: "string", v: seg } });
      this.baseData(prefix, (base) => {
        const v = this.newLocal();
        this.emit({ op: "dot", src: base, key, target: v });
        this.emit({ op: "assign", target: t, source: { k: "local", l: v } });
      });
    });
    this.emit({ op: "isDefined", l: t });
    k({ k: "local", l: t });
  }

  /** A ref `data.<path>`: rules where they are, base data elsewhere, merged documents in between. */
  planDataRef(path: readonly Term[], k: ValueCont): void {
    const prefix = ["data"];
    let i = 0;
    for (;;) {
      const mocked = this.mocks?.entries.get(prefix.join("."));
      if (mocked?.kind === "value") {
        const t = this.newLocal();
        this.emit({ op: "mockGet", slot: mocked.slot, target: t });
        return this.walk({ k: "local", l: t }, path, i, k);
      }
      const g = this.prog.group(prefix);
      if (g) {
        if (g.kind === "function") throw new PlanError(`${g.name} is a function, not a value`);
        const t = this.newLocal();
        this.emit({ op: "call", func: this.prog.ruleFunction(g, this.mocks), args: [], target: t });
        return this.walk({ k: "local", l: t }, path, i, k);
      }
      if (!this.prog.childSegments(prefix)) {
        return this.baseData(prefix, (v) => this.walkBase(v, path, i, k));
      }
      const next = path[i];
      if (next?.type === "String") {
        prefix.push(next.value);
        i++;
        continue;
      }
      if (next?.type === "Number" || next?.type === "Boolean" || next?.type === "Null") {
        // A constant key: rules are reachable only through the segment it names (`q[1]` is group `q`).
        const seg = next.type === "Null" ? "null" : String(next.value);
        if (!this.prog.childSegments(prefix)?.has(seg)) return this.baseData(prefix, (v) => this.walkBase(v, path, i, k));
      } else if (next && !this.hasUnbound(next)) {
        return this.planTerm(next, (key) => this.dispatchDataRef(prefix, key, (v) => this.walk(v, path, i + 1, k)));
      }
      const t = this.newLocal();
      this.emit({ op: "call", func: this.prog.virtualFunction(prefix, this.mocks), args: [], target: t });
      return this.walk({ k: "local", l: t }, path, i, k);
    }
  }
}

/** A complete rule whose ref head continues past the group path (`q[1] := 1`, `a.b[c].d := 1`): an object of entries. */
function isObjectLikeComplete(g: RuleGroup): boolean {
  return g.kind === "complete" && g.rules.length > 0 && g.rules.every((rule) => rule.head.ref.type === "Ref" && rule.head.ref.path.length > g.path.length - 1);
}

/** Whether a group's document is an object built from its rules' keys (partial objects, ref heads, objects of sets). */
function documentIsObject(g: RuleGroup): boolean {
  if (g.kind === "partial-object") return true;
  if (g.kind === "partial-set") return g.rules.some((rule) => rule.head.ref.type === "Ref" && rule.head.ref.path.length > g.path.length - 1);
  return isObjectLikeComplete(g);
}

function containsTemplateString(t: Term): boolean {
  switch (t.type) {
    case "TemplateString":
      return true;
    case "Array":
    case "Set":
      return t.items.some(containsTemplateString);
    case "Object":
      return t.entries.some((e) => containsTemplateString(e.key) || containsTemplateString(e.value));
    default:
      return false;
  }
}

function sameConstKey(a: Term, b: Term): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "String" || a.type === "Number" || a.type === "Boolean") return a.value === (b as typeof a).value;
  return a.type === "Null";
}
