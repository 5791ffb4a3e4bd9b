/**
 * Finds array and set literals of constants (`{"Deployment", "Job"}`, `["containers", "initContainers"]`) that
 * generated code can build once, when the module is instantiated, instead of on every evaluation: a `makeArray` /
 * `makeSet` directly followed by appends of constant operands into the same local, where that local is never written
 * or mutated otherwise, never copied to another local, and the program mutates only collections its functions make themselves
 * (so a shared value can never be changed). Programs with `objectChild` (which mutates a value found inside an
 * object) get no constant literals.
 */
import type { IrProgram, Local, Operand, Stmt } from "../../planner/ir-program.js";

/** An operand that is not a local. */
export type ConstantOperand = Exclude<Operand, { k: "local" }>;

/** A hoistable literal: the make statement and how many statements after it (its appends) it covers. */
export interface ConstantLiteral {
  kind: "array" | "set";
  /** The constant elements in order. */
  elements: ConstantOperand[];
  /** Identity of the value (equal literals share one). */
  key: string;
}

/** Make statement → its constant literal, for every function of the program. */
export function findConstantLiterals(program: IrProgram): Map<Stmt, ConstantLiteral> {
  const found = new Map<Stmt, ConstantLiteral>();
  const all = program.functions.map((f) => ({ f, stmts: flatten(f.body) }));
  if (all.some(({ stmts }) => stmts.some((s) => s.op === "objectChild"))) return found;
  for (const { f, stmts } of all) {
    const writes = countWrites(stmts);
    const madeHere = new Set(stmts.flatMap((s) => (s.op === "makeArray" || s.op === "makeSet" || s.op === "makeObject" || s.op === "objectCopy" ? [s.target] : [])));
    // A mutation of anything but a collection this function makes: no literals in this program.
    for (const s of stmts) {
      const m = mutated(s);
      if (m !== undefined && !madeHere.has(m)) return new Map();
    }
    collect(f.body, { writes, mutations: countMutations(stmts), copied: copiedLocals(stmts) }, found);
  }
  return found;
}

/** What `collect` needs to know of a whole function, counted once. */
interface FunctionFacts {
  writes: Map<Local, number>;
  /** How many statements mutate each local in place. */
  mutations: Map<Local, number>;
  /** Locals assigned to another local. */
  copied: Set<Local>;
}

function collect(list: readonly Stmt[], facts: FunctionFacts, found: Map<Stmt, ConstantLiteral>): void {
  for (let i = 0; i < list.length; i++) {
    const s = list[i] as Stmt;
    if (s.op === "scan" || s.op === "block" || s.op === "not") collect(s.body, facts, found);
    if (s.op !== "makeArray" && s.op !== "makeSet") continue;
    const target = s.target;
    if (facts.writes.get(target) !== 1) continue;
    const elements: ConstantOperand[] = [];
    let j = i + 1;
    for (; j < list.length; j++) {
      const n = list[j] as Stmt;
      if (s.op === "makeArray" && n.op === "arrayAppend" && n.array === target && n.value.k !== "local") elements.push(n.value);
      else if (s.op === "makeSet" && n.op === "setAdd" && n.set === target && n.value.k !== "local") elements.push(n.value);
      else break;
    }
    if (elements.length === 0) continue;
    // Mutated only by its own appends (j - i - 1 of them), and never copied.
    if (facts.mutations.get(target) !== j - i - 1 || facts.copied.has(target)) continue;
    const kind = s.op === "makeArray" ? "array" : "set";
    found.set(s, { kind, elements, key: JSON.stringify([kind, elements]) });
  }
}

/** The local a statement changes in place (a collection it adds to), if any. */
function mutated(s: Stmt): Local | undefined {
  switch (s.op) {
    case "arrayAppend":
      return s.array;
    case "setAdd":
      return s.set;
    case "objectInsert":
    case "objectChild":
      return s.object;
    default:
      return undefined;
  }
}

function countMutations(stmts: readonly Stmt[]): Map<Local, number> {
  const counts = new Map<Local, number>();
  for (const s of stmts) {
    const m = mutated(s);
    if (m !== undefined) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return counts;
}

function copiedLocals(stmts: readonly Stmt[]): Set<Local> {
  const copied = new Set<Local>();
  for (const s of stmts) {
    if (s.op === "assign" && s.source.k === "local") copied.add(s.source.l);
    if (s.op === "assignOnce" && s.value.k === "local") copied.add(s.value.l);
  }
  return copied;
}

/** How many statements assign each local. */
function countWrites(stmts: readonly Stmt[]): Map<Local, number> {
  const writes = new Map<Local, number>();
  const add = (l: Local): void => {
    writes.set(l, (writes.get(l) ?? 0) + 1);
  };
  for (const s of stmts) {
    if ("target" in s && typeof s.target === "number") add(s.target);
    if (s.op === "scan") {
      add(s.key);
      add(s.value);
    }
  }
  return writes;
}

/** Every statement of a body, nested ones included. */
function flatten(list: readonly Stmt[]): Stmt[] {
  return list.flatMap((s) => (s.op === "scan" || s.op === "block" || s.op === "not" ? [s, ...flatten(s.body)] : [s]));
}
