/**
 * The static type algebra of Rego values, modelled on OPA's `types` package: `any` (optionally a union of
 * alternatives), the four scalars, arrays (a static prefix plus an optional dynamic element type), objects
 * (static keys plus an optional dynamic key/value type), sets, and function signatures (fixed arguments,
 * optional variadic argument, optional result).
 *
 * `printType` produces OPA's notation (`array[string]`, `object[string: any]`, `set[any]`,
 * `any<number, set[any]>`, `(string, number) => boolean`); `parseType` reads the same notation back (the
 * builtin table is written in it). `isSubtype` and `typesUnify` are the two relations the checker needs.
 */

export interface AnyType {
  kind: "any";
  /** The alternatives; empty means every value (OPA's top type). Kept sorted and free of duplicates. */
  of: readonly RegoType[];
}
export interface NullType {
  kind: "null";
}
export interface BooleanType {
  kind: "boolean";
}
export interface NumberType {
  kind: "number";
}
export interface StringType {
  kind: "string";
}
/** `array<a, b>[c]`: element 0 has type a, element 1 type b, every further element type c. */
export interface ArrayType {
  kind: "array";
  static: readonly RegoType[];
  dynamic?: RegoType;
}
/** One statically known object key (a JSON scalar: Rego object keys may be numbers, booleans, null). */
export interface StaticProperty {
  key: string | number | boolean | null;
  value: RegoType;
}
/** `object<a: string>[string: any]`: key `a` maps to a string, any other string key to anything. */
export interface ObjectType {
  kind: "object";
  static: readonly StaticProperty[];
  dynamic?: { key: RegoType; value: RegoType };
}
export interface SetType {
  kind: "set";
  of: RegoType;
}
/** A function signature. A builtin without a result (`print`) has `result` undefined. */
export interface FunctionType {
  kind: "function";
  args: readonly RegoType[];
  /** Type of every argument beyond `args` (`print(...any)`); absent for fixed arity. */
  variadic?: RegoType;
  result?: RegoType;
}

export type RegoType =
  | AnyType
  | NullType
  | BooleanType
  | NumberType
  | StringType
  | ArrayType
  | ObjectType
  | SetType
  | FunctionType;

// ---------------------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------------------

export const T_ANY: AnyType = Object.freeze({ kind: "any", of: Object.freeze([]) as readonly RegoType[] });
export const T_NULL: NullType = Object.freeze({ kind: "null" });
export const T_BOOLEAN: BooleanType = Object.freeze({ kind: "boolean" });
export const T_NUMBER: NumberType = Object.freeze({ kind: "number" });
export const T_STRING: StringType = Object.freeze({ kind: "string" });

export function arrayOf(element: RegoType): ArrayType {
  return { kind: "array", static: [], dynamic: element };
}
export function tupleOf(elements: readonly RegoType[]): ArrayType {
  return { kind: "array", static: elements };
}
export function setOf(element: RegoType): SetType {
  return { kind: "set", of: element };
}
export function objectOf(key: RegoType, value: RegoType): ObjectType {
  return { kind: "object", static: [], dynamic: { key, value } };
}

const KIND_ORDER: Record<RegoType["kind"], number> = {
  any: 0,
  null: 1,
  boolean: 2,
  number: 3,
  string: 4,
  array: 5,
  object: 6,
  set: 7,
  function: 8,
};

/** Total order on types (OPA's order: null < boolean < number < string < array < object < set). */
export function compareTypes(a: RegoType, b: RegoType): number {
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (k !== 0) return k;
  const sa = printType(a);
  const sb = printType(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The union of the given types: `any` absorbs everything, nested unions are flattened, duplicates removed,
 * members sorted; a single alternative is returned as itself.
 */
export function unionOf(types: readonly RegoType[]): RegoType {
  const flat: RegoType[] = [];
  for (const t of types) {
    if (t.kind === "any") {
      if (t.of.length === 0) return T_ANY;
      flat.push(...t.of);
    } else {
      flat.push(t);
    }
  }
  if (flat.length === 1) return flat[0] as RegoType;
  const seen = new Map<string, RegoType>();
  for (const t of flat) seen.set(typeKey(t), t);
  if (seen.size === 1) return seen.values().next().value as RegoType;
  const members = [...seen.values()].sort(compareTypes);
  if (members.length === 1) return members[0] as RegoType;
  if (members.length === 0) return T_ANY;
  return { kind: "any", of: members };
}

/** A string identifying a type: its kind for scalars, its printed form otherwise. */
function typeKey(t: RegoType): string {
  switch (t.kind) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return t.kind;
    default:
      return printType(t);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------------------

function printKey(key: StaticProperty["key"]): string {
  return key === null ? "null" : String(key);
}

/** OPA's notation for a type. */
export function printType(t: RegoType): string {
  switch (t.kind) {
    case "any":
      return t.of.length === 0 ? "any" : `any<${t.of.map(printType).join(", ")}>`;
    case "null":
    case "boolean":
    case "number":
    case "string":
      return t.kind;
    case "array": {
      const stat = t.static.length > 0 || !t.dynamic ? `<${t.static.map(printType).join(", ")}>` : "";
      const dyn = t.dynamic ? `[${printType(t.dynamic)}]` : "";
      return `array${stat}${dyn}`;
    }
    case "object": {
      const stat =
        t.static.length > 0 || !t.dynamic
          ? `<${t.static.map((p) => `${printKey(p.key)}: ${printType(p.value)}`).join(", ")}>`
          : "";
      const dyn = t.dynamic ? `[${printType(t.dynamic.key)}: ${printType(t.dynamic.value)}]` : "";
      return `object${stat}${dyn}`;
    }
    case "set":
      return `set[${printType(t.of)}]`;
    case "function": {
      const args = t.args.map(printType);
      if (t.variadic) args.push(`...${printType(t.variadic)}`);
      const head = `(${args.join(", ")})`;
      return t.result ? `${head} => ${printType(t.result)}` : head;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing (the notation printType produces)
// ---------------------------------------------------------------------------------------------------------

/** Thrown only for malformed type text written by developers (the builtin table); never for user input. */
export class TypeSyntaxError extends Error {}

class TypeReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): RegoType {
    const t = this.parseType();
    this.skip();
    if (this.pos !== this.text.length) this.fail("trailing text");
    return t;
  }

  private fail(what: string): never {
    throw new TypeSyntaxError(`bad type text ${JSON.stringify(this.text)} at ${this.pos}: ${what}`);
  }

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  private peek(s: string): boolean {
    this.skip();
    return this.text.startsWith(s, this.pos);
  }

  private eat(s: string): boolean {
    if (this.peek(s)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  private expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected ${s}`);
  }

  private word(): string {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail("expected a name");
    this.pos += m[0].length;
    return m[0];
  }

  private list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    if (this.eat(close)) return out;
    do {
      out.push(item());
    } while (this.eat(","));
    this.expect(close);
    return out;
  }

  parseType(): RegoType {
    if (this.eat("(")) return this.parseFunction();
    const w = this.word();
    switch (w) {
      case "any":
        return this.eat("<") ? unionOf(this.list(">", () => this.parseType())) : T_ANY;
      case "null":
        return T_NULL;
      case "boolean":
        return T_BOOLEAN;
      case "number":
        return T_NUMBER;
      case "string":
        return T_STRING;
      case "set": {
        this.expect("[");
        const of = this.parseType();
        this.expect("]");
        return setOf(of);
      }
      case "array": {
        const stat = this.eat("<") ? this.list(">", () => this.parseType()) : [];
        let dynamic: RegoType | undefined;
        if (this.eat("[")) {
          dynamic = this.parseType();
          this.expect("]");
        }
        return dynamic ? { kind: "array", static: stat, dynamic } : { kind: "array", static: stat };
      }
      case "object": {
        const stat = this.eat("<")
          ? this.list(">", () => {
              const key = this.word();
              this.expect(":");
              return { key, value: this.parseType() };
            })
          : [];
        if (this.eat("[")) {
          const key = this.parseType();
          this.expect(":");
          const value = this.parseType();
          this.expect("]");
          return { kind: "object", static: stat, dynamic: { key, value } };
        }
        return { kind: "object", static: stat };
      }
      default:
        return this.fail(`unknown type ${w}`);
    }
  }

  private parseFunction(): FunctionType {
    const args: RegoType[] = [];
    let variadic: RegoType | undefined;
    if (!this.eat(")")) {
      do {
        if (this.eat("...")) {
          variadic = this.parseType();
          break;
        }
        args.push(this.parseType());
      } while (this.eat(","));
      this.expect(")");
    }
    const fn: FunctionType = { kind: "function", args };
    if (variadic) fn.variadic = variadic;
    if (this.eat("=>")) fn.result = this.parseType();
    return fn;
  }
}

/** Reads OPA type notation (the inverse of `printType`). Throws `TypeSyntaxError` on malformed text. */
export function parseType(text: string): RegoType {
  return new TypeReader(text).parseAll();
}

// ---------------------------------------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------------------------------------

/** The type of array element `i` (undefined when the array cannot have that element). */
export function arrayElementType(t: ArrayType, i: number): RegoType | undefined {
  return i < t.static.length ? t.static[i] : t.dynamic;
}

/** The union of every element type an array may hold. */
export function arrayAnyElement(t: ArrayType): RegoType {
  return unionOf(t.dynamic ? [...t.static, t.dynamic] : [...t.static]);
}

/** The type of `obj[key]` for a statically known key, or undefined when that key cannot be present. */
export function objectValueType(t: ObjectType, key: StaticProperty["key"]): RegoType | undefined {
  const p = t.static.find((s) => s.key === key);
  if (p) return p.value;
  if (t.dynamic && typesUnify(t.dynamic.key, scalarKeyType(key))) return t.dynamic.value;
  return undefined;
}

function scalarKeyType(key: StaticProperty["key"]): RegoType {
  if (key === null) return T_NULL;
  if (typeof key === "boolean") return T_BOOLEAN;
  if (typeof key === "number") return T_NUMBER;
  return T_STRING;
}

/** The union of every key type an object may have. */
export function objectAnyKey(t: ObjectType): RegoType {
  const keys = t.static.map((p) => scalarKeyType(p.key));
  if (t.dynamic) keys.push(t.dynamic.key);
  return unionOf(keys);
}

/** The union of every value type an object may have. */
export function objectAnyValue(t: ObjectType): RegoType {
  const values = t.static.map((p) => p.value);
  if (t.dynamic) values.push(t.dynamic.value);
  return unionOf(values);
}

/** `a ⊑ b`: every value of type `a` is a value of type `b`. */
export function isSubtype(a: RegoType, b: RegoType): boolean {
  if (b.kind === "any") {
    if (b.of.length === 0) return true;
    if (a.kind === "any") return a.of.length > 0 && a.of.every((m) => isSubtype(m, b));
    return b.of.some((m) => isSubtype(a, m));
  }
  if (a.kind === "any") return a.of.length > 0 && a.of.every((m) => isSubtype(m, b));
  switch (a.kind) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return a.kind === b.kind;
    case "array": {
      if (b.kind !== "array") return false;
      for (let i = 0; i < a.static.length; i++) {
        const bt = arrayElementType(b, i);
        if (!bt || !isSubtype(a.static[i] as RegoType, bt)) return false;
      }
      if (a.dynamic) {
        if (!b.dynamic) return false;
        for (let i = a.static.length; i < b.static.length; i++) {
          if (!isSubtype(a.dynamic, b.static[i] as RegoType)) return false;
        }
        if (!isSubtype(a.dynamic, b.dynamic)) return false;
      } else if (a.static.length < b.static.length) {
        return false;
      }
      return true;
    }
    case "object": {
      if (b.kind !== "object") return false;
      for (const p of a.static) {
        const bt = objectValueType(b, p.key);
        if (!bt || !isSubtype(p.value, bt)) return false;
      }
      for (const p of b.static) {
        if (!a.static.some((q) => q.key === p.key)) return false;
      }
      if (a.dynamic) {
        if (!b.dynamic) return false;
        return isSubtype(a.dynamic.key, b.dynamic.key) && isSubtype(a.dynamic.value, b.dynamic.value);
      }
      return true;
    }
    case "set":
      return b.kind === "set" && isSubtype(a.of, b.of);
    case "function": {
      if (b.kind !== "function" || a.args.length !== b.args.length) return false;
      return (
        a.args.every((x, i) => isSubtype(b.args[i] as RegoType, x)) &&
        (!b.result || (a.result !== undefined && isSubtype(a.result, b.result)))
      );
    }
  }
}

/**
 * Whether a value of type `a` may be used where type `b` is expected, the way OPA's checker unifies an
 * argument with a declared parameter: `any` unifies with everything, a union when some alternative does,
 * composites when their element/key/value types unify position by position.
 */
export function typesUnify(a: RegoType, b: RegoType): boolean {
  if (a.kind === "any") {
    if (a.of.length === 0) return true;
    return a.of.some((m) => typesUnify(m, b));
  }
  if (b.kind === "any") {
    if (b.of.length === 0) return true;
    return b.of.some((m) => typesUnify(a, m));
  }
  switch (a.kind) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return a.kind === b.kind;
    case "array": {
      if (b.kind !== "array") return false;
      const n = Math.max(a.static.length, b.static.length);
      for (let i = 0; i < n; i++) {
        const at = arrayElementType(a, i);
        const bt = arrayElementType(b, i);
        if (at && bt) {
          if (!typesUnify(at, bt)) return false;
        } else if (at && i < a.static.length) {
          return false; // a has a fixed element where b cannot have one
        } else if (bt && i < b.static.length) {
          return false;
        }
      }
      if (a.dynamic && b.dynamic && !typesUnify(a.dynamic, b.dynamic)) return false;
      return true;
    }
    case "object": {
      if (b.kind !== "object") return false;
      for (const p of a.static) {
        const bt = objectValueType(b, p.key);
        if (!bt || !typesUnify(p.value, bt)) return false;
      }
      for (const p of b.static) {
        const at = objectValueType(a, p.key);
        if (at && !typesUnify(at, p.value)) return false;
      }
      if (a.dynamic && b.dynamic) {
        return typesUnify(a.dynamic.key, b.dynamic.key) && typesUnify(a.dynamic.value, b.dynamic.value);
      }
      return true;
    }
    case "set":
      return b.kind === "set" && typesUnify(a.of, b.of);
    case "function":
      return b.kind === "function" && a.args.length === b.args.length;
  }
}

/** True when the type says nothing (`any` with no alternatives). */
export function isAnyType(t: RegoType): boolean {
  return t.kind === "any" && t.of.length === 0;
}
