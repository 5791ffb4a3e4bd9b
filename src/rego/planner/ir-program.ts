/**
 * Fleetward's planner IR: plain, JSON-serialisable data in the spirit of OPA's IR. A program is a set of
 * functions; a function body is a block of statements. Values live in numbered locals (0 = undefined).
 *
 * Failure semantics (as in OPA's IR): a statement that "fails" (an undefined lookup, a false comparison)
 * ends the innermost enclosing block; execution continues after that block. `scan` runs its body once per
 * element (a failure in the body moves on to the next element); `not` fails when its body completes.
 */

/** A local variable index. Locals 0..2 of every function are ctx, input and data; 3 is the "mocked" flag. */
export type Local = number;

export const LOCAL_CTX: Local = 0;
export const LOCAL_INPUT: Local = 1;
export const LOCAL_DATA: Local = 2;
/** 1 while a `with` modifier is active (rule results are then not cached). */
export const LOCAL_MOCKED: Local = 3;
export const FIRST_FREE_LOCAL = 4;

/** A value operand: a local or a constant. Numbers keep their exact JSON text. */
export type Operand =
  | { k: "local"; l: Local }
  | { k: "string"; v: string }
  | { k: "number"; v: string }
  | { k: "bool"; v: boolean }
  | { k: "null" };

export type Stmt =
  /** target := source (never fails). */
  | { op: "assign"; target: Local; source: Operand }
  /** target := undefined. */
  | { op: "reset"; target: Local }
  /** target := src[key]; fails when undefined. */
  | { op: "dot"; src: Operand; key: Operand; target: Local }
  /** Fails unless a == b (OPA's equality of values). */
  | { op: "equal"; a: Operand; b: Operand }
  /** Fails when a == b. */
  | { op: "notEqual"; a: Operand; b: Operand }
  /** Fails unless the local is defined / undefined. */
  | { op: "isDefined"; l: Local }
  | { op: "isUndefined"; l: Local }
  /** Fails unless the operand is a value of the tag (5 array, 6 object, 7 set). */
  | { op: "isType"; a: Operand; tag: number }
  /** Fails unless the operand is an array, object or set. */
  | { op: "isCollection"; a: Operand }
  /** Fails unless the collection has exactly n elements. */
  | { op: "lenEqual"; a: Operand; n: number }
  /** Compares by OPA's order; fails when the relation does not hold. */
  | { op: "compare"; rel: "lt" | "lte" | "gt" | "gte"; a: Operand; b: Operand; target?: Local }
  /** Calls a planned function (rule or user function): (ctx, input, data, mocked, ...args). Fails when undefined. */
  | { op: "call"; func: string; args: Operand[]; target: Local }
  /** Calls a builtin (native when the code generator knows it, else a host builtin). Fails when undefined. */
  | { op: "builtin"; name: string; args: Operand[]; target: Local; /** `file:line` of the call, for error messages. */ loc?: string }
  /** target := text of src inside a template string (`<undefined>` when src is undefined). */
  | { op: "templateText"; src: Local; target: Local }
  | { op: "makeArray"; target: Local }
  | { op: "makeObject"; target: Local }
  | { op: "makeSet"; target: Local }
  | { op: "arrayAppend"; array: Local; value: Operand }
  | { op: "setAdd"; set: Local; value: Operand }
  /** Inserts; with `once`, a different existing value aborts with eval_conflict_error. */
  | { op: "objectInsert"; object: Local; key: Operand; value: Operand; once: boolean }
  /**
   * target := object[key] when it is an object (a set with `set`), else a new one inserted there; a value of
   * another type there aborts with eval_conflict_error.
   */
  | { op: "objectChild"; object: Local; key: Operand; target: Local; set?: boolean }
  /** target := shallow copy of an object (or a new object when src is not an object). */
  | { op: "objectCopy"; src: Operand; target: Local }
  /** target := copy of `src` with `value` placed at path (objects created along the way). */
  | { op: "upsertPath"; src: Operand; path: Operand[]; value: Operand; target: Local }
  /** target := value when target is undefined; a different value aborts with eval_conflict_error. */
  | { op: "assignOnce"; target: Local; value: Operand; message: string }
  /** Iterates over arrays, objects and sets; fails (does nothing) on other values. */
  | { op: "scan"; src: Local; key: Local; value: Local; body: Stmt[] }
  | { op: "block"; body: Stmt[] }
  | { op: "not"; body: Stmt[] }
  /** Aborts the evaluation with a message (`eval_conflict_error: …`). */
  | { op: "abort"; message: string }
  /** Reads / writes the per-evaluation cache slot of a rule (only when not mocked). */
  | { op: "cacheGet"; slot: number; target: Local }
  | { op: "cacheSet"; slot: number; value: Local }
  /** Mock value slots (globals) of `with` replacements that are values. */
  | { op: "mockGet"; slot: number; target: Local }
  | { op: "mockSet"; slot: number; value: Operand }
  /** Returns the local (0 = undefined) from the function. */
  | { op: "return"; value: Local };

export interface IrFunction {
  name: string;
  /** Number of parameters after the four fixed ones (ctx, input, data, mocked). */
  params: number;
  /** Total locals used (including parameters). */
  locals: number;
  body: Stmt[];
}

export interface IrEntrypoint {
  /** Entrypoint name as listed by the module (`x/p`). */
  name: string;
  /** The function computing it (takes only the fixed parameters). */
  func: string;
}

export interface IrProgram {
  functions: IrFunction[];
  entrypoints: IrEntrypoint[];
  /** Number of cache slots (one per cached rule). */
  cacheSlots: number;
  /** Number of mock value slots (one per `with` replacement by a value). */
  mockSlots: number;
}
