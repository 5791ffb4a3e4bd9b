/**
 * Which parts of `input` a planned program can observe. Input values reach generated code through local 1
 * (`LOCAL_INPUT`) of each function; this follows them through `assign`, constant-key `dot` lookups, iteration
 * (`scan`) and computed-key lookups, function parameters and return values, and rule caches, and marks a path
 * "whole" as soon as a value at it is used any other way (compared, passed to a builtin, returned from the
 * entrypoint, stored in a composite, …). An input that keeps only the listed paths (and whole values below "whole"
 * ones) therefore gives every evaluation the same result as the full input. A `with input` modifier makes the whole
 * input observable. The same analysis of local 2 tells what of `data` a program reads.
 *
 * Iterating a collection or looking into it with a computed key observes its shape (every key and index) and, of
 * each member, what `each` says: the pruned value keeps every member, each pruned. A complete rule's value is
 * compared with its other definitions' (conflict detection), so it stays whole unless no comparison can happen: one
 * definition outside any iteration, or definitions guarded by tests of one input path against disjoint constants
 * (`kind == "Pod"` / `kind in {"Deployment", …}`), of which at most one holds.
 */
import { FIRST_FREE_LOCAL, LOCAL_DATA, LOCAL_INPUT, type IrFunction, type IrProgram, type Local, type Operand, type Stmt } from "./ir-program.js";

/** A node of the access tree: `whole` means the value at this path is used as a whole. */
export interface InputAccess {
  whole: boolean;
  /** Keys looked up (constant string keys) under this path when it is not used whole. */
  keys: Map<string, InputAccess>;
  /**
   * Set when the value is iterated or looked into with a computed key: every member (array element, object member)
   * is kept, pruned by `each` (and, for an object member named in `keys`, by that key's node, which then includes
   * `each`'s paths).
   */
  each?: InputAccess;
}

/** U+FFFD or a UTF-16 surrogate: see `FunctionAccess.children`. */
const AMBIGUOUS_KEY = /[\uD800-\uDFFF\uFFFD]/;

function node(): InputAccess {
  return { whole: false, keys: new Map() };
}

/** The access tree of a program's `input` (all of its functions, so every entrypoint). */
export function inputAccess(program: IrProgram): InputAccess {
  return documentAccess(program, LOCAL_INPUT);
}

/** The same for the base document `data` (local 2): e.g. no keys and not whole means data is never read. */
export function dataAccess(program: IrProgram): InputAccess {
  return documentAccess(program, LOCAL_DATA);
}

/** Whether a document with this access tree is read at all. */
export function isRead(access: InputAccess): boolean {
  return access.whole || access.keys.size > 0 || access.each !== undefined;
}

function documentAccess(program: IrProgram, local: Local): InputAccess {
  const root = node();
  new ProgramAccess(program, root, local).run();
  normalize(root);
  return root;
}

/** Adds `src`'s paths to `target` (copied: nodes are never shared between parents). */
function mergeInto(target: InputAccess, src: InputAccess): void {
  if (src.whole) target.whole = true;
  for (const [k, c] of src.keys) {
    let t = target.keys.get(k);
    if (t === undefined) target.keys.set(k, (t = node()));
    mergeInto(t, c);
  }
  if (src.each !== undefined) mergeInto((target.each ??= node()), src.each);
}

/** Folds `each` into the nodes of the named keys beside it, top down (see `InputAccess.each`). */
function normalize(n: InputAccess): void {
  if (n.whole) return;
  if (n.each !== undefined) for (const child of n.keys.values()) mergeInto(child, n.each);
  for (const child of n.keys.values()) normalize(child);
  if (n.each !== undefined) normalize(n.each);
}

/** A block's test of one input path against constant strings: the path's node and the values that pass. */
interface Guard {
  node: InputAccess;
  values: Set<string>;
}

/** The state shared by all functions of a program, iterated to a fixpoint. */
class ProgramAccess {
  changed = false;
  /** Nodes reached from the root through constant keys only: the same value wherever they are seen in a query. */
  readonly fixed = new Set<InputAccess>();
  readonly params = new Map<string, Set<InputAccess>[]>();
  readonly returns = new Map<string, Set<InputAccess>>();
  readonly slots = new Map<number, Set<InputAccess>>();
  /** Functions whose value leaves the program (entrypoints, or never called): returned values are whole. */
  readonly exits = new Set<string>();
  readonly functions = new Map<string, IrFunction>();
  private readonly analyses: FunctionAccess[];

  constructor(program: IrProgram, root: InputAccess, local: Local) {
    this.fixed.add(root);
    const called = new Set<string>();
    const visit = (list: readonly Stmt[]): void => {
      for (const s of list) {
        if (s.op === "call") called.add(s.func);
        if (s.op === "scan" || s.op === "block" || s.op === "not") visit(s.body);
      }
    };
    for (const f of program.functions) {
      this.functions.set(f.name, f);
      visit(f.body);
    }
    for (const e of program.entrypoints) this.exits.add(e.func);
    for (const f of program.functions) if (!called.has(f.name)) this.exits.add(f.name);
    this.analyses = program.functions.map((f) => new FunctionAccess(this, f, root, local));
  }

  run(): void {
    // Locals can be assigned after their first use inside loops, and functions call each other: iterate.
    do {
      this.changed = false;
      for (const a of this.analyses) a.run();
    } while (this.changed);
    // Whole marks change no local's nodes: one pass once they are known.
    for (const a of this.analyses) a.compared();
  }

  addTo(set: Set<InputAccess>, nodes: Iterable<InputAccess>): void {
    for (const n of nodes) {
      if (!set.has(n)) {
        set.add(n);
        this.changed = true;
      }
    }
  }

  setOf<K>(map: Map<K, Set<InputAccess>>, key: K): Set<InputAccess> {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    return set;
  }

  paramSet(func: string, i: number): Set<InputAccess> {
    let list = this.params.get(func);
    if (list === undefined) this.params.set(func, (list = []));
    return (list[i] ??= new Set());
  }
}

/** Where each assignOnce sits: inside an iteration or not, and the statements of its block before it. */
interface AssignOnceSite {
  inScan: boolean;
  before: readonly Stmt[];
}

class FunctionAccess {
  /** Local → the input nodes its value may be (flow-insensitive). */
  private readonly holds = new Map<Local, Set<InputAccess>>();
  /** Local → how many statements other than `reset` set it. */
  private readonly defs = new Map<Local, number>();
  private readonly onceSites = new Map<Stmt, AssignOnceSite>();
  /** Local → its assignOnce statements. */
  private readonly onces = new Map<Local, Extract<Stmt, { op: "assignOnce" }>[]>();

  constructor(
    private readonly program: ProgramAccess,
    private readonly f: IrFunction,
    root: InputAccess,
    local: Local,
  ) {
    this.holds.set(local, new Set([root]));
    this.index(f.body, false);
  }

  run(): void {
    const params = this.program.params.get(this.f.name) ?? [];
    params.forEach((nodes, i) => this.add(FIRST_FREE_LOCAL + i, nodes));
    this.stmts(this.f.body);
  }

  /** After the fixpoint: an assignOnce's value that may be compared with an earlier one is used whole. */
  compared(): void {
    for (const s of this.onceSites.keys()) {
      if (s.op !== "assignOnce" || this.neverCompared(s)) continue;
      this.whole(s.value);
      this.wholeLocal(s.target);
    }
  }

  private index(list: readonly Stmt[], inScan: boolean): void {
    list.forEach((s, i) => {
      // A rule's cache read that returns at once (`cacheGet x; return x`) never reaches the rule's assignments.
      const next = list[i + 1];
      const cacheHitReturns = s.op === "cacheGet" && next?.op === "return" && next.value === s.target;
      if (!cacheHitReturns) for (const t of targets(s)) this.defs.set(t, (this.defs.get(t) ?? 0) + 1);
      if (s.op === "assignOnce") {
        this.onceSites.set(s, { inScan, before: list.slice(0, i) });
        let list2 = this.onces.get(s.target);
        if (list2 === undefined) this.onces.set(s.target, (list2 = []));
        list2.push(s);
      }
      if (s.op === "scan") this.index(s.body, true);
      if (s.op === "block" || s.op === "not") this.index(s.body, inScan);
    });
  }

  private nodes(l: Local): Set<InputAccess> {
    return this.program.setOf(this.holds, l);
  }

  private add(target: Local, nodes: Iterable<InputAccess>): void {
    this.program.addTo(this.nodes(target), nodes);
  }

  private wholeLocal(l: Local): void {
    for (const n of this.holds.get(l) ?? []) this.wholeNode(n);
  }

  private wholeNode(n: InputAccess): void {
    if (!n.whole) {
      n.whole = true;
      this.program.changed = true;
    }
  }

  /**
   * The nodes of member `key` of the nodes `l` holds (made when new). A key with U+FFFD or a surrogate also finds
   * input keys spelt otherwise in JS (a lone surrogate is U+FFFD in the module), which pruning by name would drop:
   * the nodes `l` holds are then used whole (and there are no member nodes).
   */
  private children(l: Local, key: string): InputAccess[] {
    if (AMBIGUOUS_KEY.test(key)) {
      this.wholeLocal(l);
      return [];
    }
    const children: InputAccess[] = [];
    for (const n of this.holds.get(l) ?? []) {
      let child = n.keys.get(key);
      if (child === undefined) {
        child = node();
        n.keys.set(key, child);
        this.program.changed = true;
      }
      if (this.program.fixed.has(n)) this.program.fixed.add(child);
      children.push(child);
    }
    return children;
  }

  /** The member nodes (`each`) of the nodes `l` holds: it is iterated or looked into with a computed key. */
  private members(l: Local): InputAccess[] {
    const out: InputAccess[] = [];
    for (const n of this.holds.get(l) ?? []) {
      if (n.each === undefined) {
        n.each = node();
        this.program.changed = true;
      }
      out.push(n.each);
    }
    return out;
  }

  private whole(o: Operand | undefined): void {
    if (o?.k === "local") this.wholeLocal(o.l);
  }

  private stmts(list: readonly Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    switch (s.op) {
      case "assign":
        if (s.source.k === "local") this.add(s.target, this.holds.get(s.source.l) ?? []);
        return;
      case "dot": {
        if (s.src.k !== "local") return;
        if (s.key.k === "string") this.add(s.target, this.children(s.src.l, s.key.v));
        else {
          // A computed key may name any member: the collection keeps its shape, each member what the result shows.
          this.add(s.target, this.members(s.src.l));
          this.whole(s.key);
        }
        return;
      }
      case "reset":
      case "isDefined":
      case "isUndefined":
      case "makeArray":
      case "makeObject":
      case "makeSet":
      case "abort":
      case "mockGet":
        return;
      case "cacheGet":
        this.add(s.target, this.program.setOf(this.program.slots, s.slot));
        return;
      case "equal":
      case "notEqual":
      case "compare":
        this.whole(s.a);
        this.whole(s.b);
        return;
      case "isType":
      case "isCollection":
      case "lenEqual":
        this.whole(s.a);
        return;
      case "builtin": {
        // object.get(o, "key", default) reads one member of o: only that member is observable (o stays an object
        // when pruned, so "is it an object" and "is the key there" come out the same).
        const [o, key, fallback] = s.args;
        if (s.name === "object.get" && s.args.length === 3 && o?.k === "local" && key?.k === "string") {
          for (const child of this.children(o.l, key.v)) this.wholeNode(child);
          this.whole(fallback);
          return;
        }
        for (const a of s.args) this.whole(a);
        return;
      }
      case "call": {
        const callee = this.program.functions.get(s.func);
        if (callee === undefined || callee.params !== s.args.length) {
          for (const a of s.args) this.whole(a);
          return;
        }
        s.args.forEach((a, i) => {
          if (a.k === "local") this.program.addTo(this.program.paramSet(s.func, i), this.holds.get(a.l) ?? []);
        });
        this.add(s.target, this.program.setOf(this.program.returns, s.func));
        return;
      }
      case "templateText":
        this.wholeLocal(s.src);
        return;
      case "arrayAppend":
        this.wholeLocal(s.array);
        this.whole(s.value);
        return;
      case "setAdd":
        this.wholeLocal(s.set);
        this.whole(s.value);
        return;
      case "objectInsert":
        this.wholeLocal(s.object);
        this.whole(s.key);
        this.whole(s.value);
        return;
      case "objectChild":
        this.wholeLocal(s.object);
        this.whole(s.key);
        return;
      case "objectCopy":
        this.whole(s.src);
        return;
      case "upsertPath":
        this.whole(s.src);
        for (const k of s.path) this.whole(k);
        this.whole(s.value);
        return;
      case "assignOnce":
        // Whether the value is compared (conflict detection) is decided once what locals hold is known: `compared`.
        if (s.value.k === "local") this.add(s.target, this.holds.get(s.value.l) ?? []);
        return;
      case "scan":
        this.add(s.value, this.members(s.src));
        this.stmts(s.body);
        return;
      case "block":
      case "not":
        this.stmts(s.body);
        return;
      case "cacheSet":
        this.program.addTo(this.program.setOf(this.program.slots, s.slot), this.holds.get(s.value) ?? []);
        return;
      case "mockSet":
        this.whole(s.value);
        return;
      case "return":
        if (this.program.exits.has(this.f.name)) this.wholeLocal(s.value);
        else this.program.addTo(this.program.setOf(this.program.returns, this.f.name), this.holds.get(s.value) ?? []);
        return;
    }
  }

  /**
   * Whether an assignOnce can never find its target already set in the same call (so its value is never compared):
   * the target is set by this statement only, outside any iteration; or by assignOnce statements outside iterations
   * whose values are locals each set once, outside iterations, under guards of which at most one holds.
   */
  private neverCompared(s: Extract<Stmt, { op: "assignOnce" }>): boolean {
    const sets = this.onces.get(s.target) ?? [];
    if (sets.length !== this.defs.get(s.target)) return false;
    if (sets.some((o) => this.onceSites.get(o)?.inScan !== false)) return false;
    if (sets.length === 1) return true;
    const guards: Guard[] = [];
    for (const o of sets) {
      if (o.value.k !== "local") return false;
      const g = this.guardOf(o.value.l);
      if (g === undefined) return false;
      guards.push(g);
    }
    return guards.every((a, i) => guards.every((b, j) => j <= i || (a.node === b.node && [...a.values].every((v) => !b.values.has(v)))));
  }

  /** The guard under which local `l` is set: by one assignOnce outside iterations, after a test in its block. */
  private guardOf(l: Local): Guard | undefined {
    const sets = this.onces.get(l) ?? [];
    const only = sets[0];
    if (sets.length !== 1 || this.defs.get(l) !== 1 || only === undefined) return undefined;
    const site = this.onceSites.get(only);
    if (site === undefined || site.inScan) return undefined;
    return guardIn(site.before, (x) => this.fixedNodeOf(x), constantStrings(site.before));
  }

  /** The single fixed-path node local `l` holds, if that is all it holds. */
  private fixedNodeOf(l: Local): InputAccess | undefined {
    const held = this.holds.get(l);
    if (held === undefined || held.size !== 1) return undefined;
    const [n] = held;
    return n !== undefined && this.program.fixed.has(n) ? n : undefined;
  }
}

/** The locals a statement sets (other than by `reset`). */
function targets(s: Stmt): Local[] {
  switch (s.op) {
    case "reset":
      return [];
    case "scan":
      return [s.key, s.value];
    case "compare":
      return s.target === undefined ? [] : [s.target];
    default:
      return "target" in s ? [s.target] : [];
  }
}

/** Locals of `list` built as sets of constant strings (makeSet, then setAdd of strings only). */
function constantStrings(list: readonly Stmt[]): Map<Local, Set<string>> {
  const sets = new Map<Local, Set<string>>();
  const spoiled = new Set<Local>();
  for (const s of list) {
    if (s.op === "makeSet") sets.set(s.target, new Set());
    else if (s.op === "setAdd") {
      if (s.value.k === "string") sets.get(s.set)?.add(s.value.v);
      else spoiled.add(s.set);
    }
  }
  for (const l of spoiled) sets.delete(l);
  return sets;
}

/**
 * A test in `list` (the statements of a block before an assignment) that must pass for the block to go on: `x ==
 * "c"` or `x in {"c", …}` through the `equal` / `internal.member_2` builtins and a `notEqual … false` on the
 * result, or an `equal` statement, where x holds one fixed input path.
 */
function guardIn(list: readonly Stmt[], fixedNodeOf: (l: Local) => InputAccess | undefined, sets: Map<Local, Set<string>>): Guard | undefined {
  const tested = new Set<Local>();
  for (const s of list) if (s.op === "notEqual" && s.a.k === "local" && s.b.k === "bool" && !s.b.v) tested.add(s.a.l);
  for (const s of list) {
    let subject: Operand | undefined;
    let values: Set<string> | undefined;
    if (s.op === "equal") [subject, values] = equalGuard(s.a, s.b);
    else if (s.op === "builtin" && tested.has(s.target) && s.name === "equal") [subject, values] = equalGuard(s.args[0], s.args[1]);
    else if (s.op === "builtin" && tested.has(s.target) && s.name === "internal.member_2" && s.args[1]?.k === "local") {
      [subject, values] = [s.args[0], sets.get(s.args[1].l)];
    }
    if (subject?.k !== "local" || values === undefined) continue;
    const n = fixedNodeOf(subject.l);
    if (n !== undefined) return { node: n, values };
  }
  return undefined;
}

function equalGuard(a: Operand | undefined, b: Operand | undefined): [Operand | undefined, Set<string> | undefined] {
  if (a?.k === "local" && b?.k === "string") return [a, new Set([b.v])];
  if (b?.k === "local" && a?.k === "string") return [b, new Set([a.v])];
  return [undefined, undefined];
}
