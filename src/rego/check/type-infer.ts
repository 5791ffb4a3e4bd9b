/**
 * Static types of terms, as far as they are known without evaluation: literals and composites of literals,
 * variables with a type recorded in `env`, builtin call results. Everything else (refs to `data`/`input`,
 * user function results, comprehensions' elements) is `any`, so checks built on these types only fire when
 * the mismatch is certain.
 */
import type { RefTerm, Term } from "../parser/nodes.js";
import { lookupBuiltin } from "../builtins/builtin-table.js";
import {
  arrayOf,
  objectOf,
  setOf,
  T_ANY,
  T_BOOLEAN,
  T_NULL,
  T_NUMBER,
  T_STRING,
  unionOf,
  arrayElementType,
  objectValueType,
  type RegoType,
  type StaticProperty,
} from "../builtins/rego-type.js";
import { operatorName } from "./term-utils.js";

export type TypeEnv = ReadonlyMap<string, RegoType>;

/**
 * Gives the type of the rule document a `data` ref lands in, and how many path elements of the ref that
 * document's path consumed (the rest select inside the value).
 */
export type RuleRefTyper = (ref: RefTerm) => { type: RegoType; consumed: number } | undefined;

export function termType(t: Term, env: TypeEnv, ruleRef?: RuleRefTyper): RegoType {
  switch (t.type) {
    case "Null":
      return T_NULL;
    case "Boolean":
      return T_BOOLEAN;
    case "Number":
      return T_NUMBER;
    case "String":
    case "TemplateString":
      return T_STRING;
    case "Var":
      return env.get(t.name) ?? T_ANY;
    case "Array":
      return { kind: "array", static: t.items.map((i) => termType(i, env, ruleRef)) };
    case "Set":
      return setOf(t.items.length === 0 ? T_ANY : unionOf(t.items.map((i) => termType(i, env, ruleRef))));
    case "Object": {
      const stat: StaticProperty[] = [];
      for (const e of t.entries) {
        const key = scalarKey(e.key);
        if (key === undefined) {
          return objectOf(
            unionOf(t.entries.map((x) => termType(x.key, env, ruleRef))),
            unionOf(t.entries.map((x) => termType(x.value, env, ruleRef))),
          );
        }
        stat.push({ key, value: termType(e.value, env, ruleRef) });
      }
      return { kind: "object", static: stat };
    }
    case "ArrayComprehension":
      return arrayOf(T_ANY);
    case "SetComprehension":
      return setOf(T_ANY);
    case "ObjectComprehension":
      return objectOf(T_ANY, T_ANY);
    case "Call": {
      const name = operatorName(t.operator);
      if (name === undefined || (t.operator.type === "Ref" && t.operator.head.type === "Var" && t.operator.head.name === "data")) {
        return T_ANY;
      }
      const b = lookupBuiltin(name);
      if (!b || !b.decl.result || t.args.length !== b.decl.args.length) return T_ANY;
      return b.decl.result;
    }
    case "Ref": {
      const fromRule = ruleRef?.(t);
      if (fromRule) {
        let cur = fromRule.type;
        for (const p of t.path.slice(fromRule.consumed)) {
          cur = selectType(cur, p);
          if (cur.kind === "any" && cur.of.length === 0) return T_ANY;
        }
        return cur;
      }
      let cur = t.head.type === "Var" ? (env.get(t.head.name) ?? T_ANY) : termType(t.head, env, ruleRef);
      for (const p of t.path) {
        cur = selectType(cur, p);
        if (cur.kind === "any" && cur.of.length === 0) return T_ANY;
      }
      return cur;
    }
  }
}

/** The type of `x[p]` when `x` has type `t`; `any` whenever not certain. */
function selectType(t: RegoType, p: Term): RegoType {
  if (t.kind === "array" && p.type === "Number") {
    const i = Number(p.value);
    if (Number.isInteger(i) && i >= 0) return arrayElementType(t, i) ?? T_ANY;
    return T_ANY;
  }
  if (t.kind === "object") {
    const key = scalarKey(p);
    if (key !== undefined) return objectValueType(t, key) ?? T_ANY;
  }
  return T_ANY;
}

function scalarKey(t: Term): StaticProperty["key"] | undefined {
  switch (t.type) {
    case "String":
      return t.value;
    case "Number":
      return Number(t.value);
    case "Boolean":
      return t.value;
    case "Null":
      return null;
    default:
      return undefined;
  }
}
