/**
 * Which parts of `input` a planned program can observe. Input values reach generated code only through local 1
 * (`LOCAL_INPUT`) of each function; this follows them through `assign` and constant-key `dot` lookups and marks a
 * path "whole" as soon as a value at it is used any other way (compared, passed to a call or builtin, scanned,
 * returned, stored, looked up with a computed key, …). An input that keeps only the listed paths (and whole values
 * below "whole" ones) therefore gives every evaluation the same result as the full input. A `with input` modifier
 * makes the whole input observable. The same analysis of local 2 tells what of `data` a program reads.
 */
import { LOCAL_DATA, LOCAL_INPUT, type IrProgram, type Local, type Operand, type Stmt } from "./ir-program.js";

/** A node of the access tree: `whole` means the value at this path is used as a whole. */
export interface InputAccess {
  whole: boolean;
  /** Keys looked up (constant string keys) under this path when it is not used whole. */
  keys: Map<string, InputAccess>;
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

function documentAccess(program: IrProgram, local: Local): InputAccess {
  const root = node();
  for (const f of program.functions) new FunctionAccess(root, local).run(f.body);
  return root;
}

class FunctionAccess {
  /** Local → the input nodes its value may be (flow-insensitive). */
  private readonly holds = new Map<Local, Set<InputAccess>>();
  private changed = false;

  constructor(root: InputAccess, local: Local) {
    this.holds.set(local, new Set([root]));
  }

  run(body: readonly Stmt[]): void {
    // Locals can be assigned after their first use inside loops: iterate to a fixpoint.
    do {
      this.changed = false;
      this.stmts(body);
    } while (this.changed);
  }

  private add(target: Local, nodes: Iterable<InputAccess>): void {
    let set = this.holds.get(target);
    if (set === undefined) {
      set = new Set();
      this.holds.set(target, set);
    }
    for (const n of nodes) {
      if (!set.has(n)) {
        set.add(n);
        this.changed = true;
      }
    }
  }

  private wholeLocal(l: Local): void {
    for (const n of this.holds.get(l) ?? []) this.wholeNode(n);
  }

  private wholeNode(n: InputAccess): void {
    if (!n.whole) {
      n.whole = true;
      this.changed = true;
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
        this.changed = true;
      }
      children.push(child);
    }
    return children;
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
        if (s.key.k !== "string") {
          this.wholeLocal(s.src.l);
          this.whole(s.key);
          return;
        }
        this.add(s.target, this.children(s.src.l, s.key.v));
        return;
      }
      case "reset":
      case "isDefined":
      case "isUndefined":
      case "makeArray":
      case "makeObject":
      case "makeSet":
      case "abort":
      case "cacheGet":
      case "mockGet":
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
      case "call":
        for (const a of s.args) this.whole(a);
        return;
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
        // The value may be compared with an earlier one (conflict detection): it is used whole.
        this.whole(s.value);
        this.wholeLocal(s.target);
        return;
      case "scan":
        this.wholeLocal(s.src);
        this.stmts(s.body);
        return;
      case "block":
      case "not":
        this.stmts(s.body);
        return;
      case "cacheSet":
        this.wholeLocal(s.value);
        return;
      case "mockSet":
        this.whole(s.value);
        return;
      case "return":
        this.wholeLocal(s.value);
        return;
    }
  }
}
