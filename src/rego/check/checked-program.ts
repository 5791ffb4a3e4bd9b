/**
 * The output of the compile checks: plain, JSON-serialisable data that the planner consumes.
 *
 * Paths are arrays of strings starting with `"data"` (`["data", "x", "p"]`); `name`s are the same path
 * joined by dots (`"data.x.p"`), exactly how OPA prints them in messages.
 *
 * Every rule appears with its head and bodies rewritten the way OPA's compiler rewrites them:
 * - names are resolved: a reference to a rule of the same package, an imported name (`import data.a.b as c`)
 *   and a call of a same-package function all become full `data.` refs (`Ref` with head `Var data` and string
 *   path); `input`/`data` refs stay as written; builtin calls keep their name;
 * - local variables are renamed: variables declared with `:=`, `some`, `some … in`, `every` get unique
 *   generated names `__localN__` (so nested scopes never shadow each other) and `assign` becomes `eq`;
 *   every `_` becomes a unique `$N`; `localNames` maps generated names back to what the user wrote;
 * - body expressions are reordered for safety: each expression comes after the ones that bind the variables
 *   it needs (comprehension, `every` and `else` bodies too); within those constraints the written order is kept.
 */
import type { SourceSpan } from "../diagnostics.js";
import type { Body, ElseClause, Module, RefTerm, RuleHead, RuleKind, Term } from "../parser/nodes.js";
import type { FunctionType, RegoType } from "../builtins/rego-type.js";

/** One `import` after resolution. */
export interface ResolvedImport {
  /** The imported path, e.g. `["data", "lib", "util"]` or `["input", "request"]`, `["future", "keywords", "in"]`. */
  path: string[];
  /** The name it binds in the module (`util`, the alias, or undefined for `future.*` and `rego.v1`). */
  name?: string;
  span: SourceSpan;
}

export interface CheckedModule {
  file: string;
  /** Package path including the `data` root: `["data", "x"]`. */
  package: string[];
  imports: ResolvedImport[];
  /** The module as parsed (unmodified). */
  source: Module;
}

/** One rule clause (a `Rule` of the source) after rewriting. */
export interface CheckedRule {
  /** Index into `CheckedProgram.modules`. */
  module: number;
  file: string;
  span: SourceSpan;
  kind: RuleKind;
  default: boolean;
  /**
   * The head with its ref made absolute: `head.ref` is always a `Ref` starting at `data`
   * (`data.x.p`, `data.x.q[k]`, `data.x.a.b[c].d`); args, key and value are rewritten like the body.
   */
  head: RuleHead;
  /** The rewritten, safety-ordered body (an empty body means `true`). */
  body: Body;
  /** The `else` chain, rewritten and ordered like `body`. */
  else?: ElseClause;
  /** Generated local name → name as written (`__local3__` → `x`, `$0` → `_`). */
  localNames: Record<string, string>;
}

/**
 * All the rules at one data path (one virtual document). The path is the ground prefix of the head ref:
 * `p[k] := v` and `p contains x` index at `data.x.p`; `a.b[c].d := 1` indexes at `data.x.a.b`.
 */
export interface RuleGroup {
  path: string[];
  name: string;
  kind: RuleKind;
  /** Functions only: the number of parameters. */
  arity?: number;
  /** Non-default clauses in source order (module order, then position). */
  rules: CheckedRule[];
  /** The `default` clause, if any. */
  defaultRule?: CheckedRule;
  /** Names of the rule groups this one refers to (directly), sorted. */
  dependsOn: string[];
}

/** A user function's signature (argument and result types are `any` unless inferred). */
export interface FunctionSignature {
  name: string;
  arity: number;
  type: FunctionType;
}

export interface CheckedProgram {
  modules: CheckedModule[];
  /** Every rule group, sorted by name. */
  rules: RuleGroup[];
  /** `name` → index into `rules`. */
  ruleIndex: Record<string, number>;
  /** Package names (`data.x`) that have at least one module, sorted. */
  packages: string[];
  /** User functions by name. */
  functions: Record<string, FunctionSignature>;
  /** Rule group names ordered so that every group comes after the groups it depends on. */
  evaluationOrder: string[];
  /** Types inferred for rule values (complete rules with a literal or typed value), by group name. */
  ruleTypes: Record<string, RegoType>;
}

/** Options of `checkModules`. */
export interface CheckOptions {
  /**
   * Report calls of deprecated builtins (`any`, `all`, `re_match`, `set_diff`, `cast_*`, `net.cidr_overlap`)
   * as errors, as OPA does for v1 modules. Default: true for modules parsed as v1 syntax.
   */
  rejectDeprecatedBuiltins?: boolean;
  /** Stop after this many diagnostics (default 100). */
  errorLimit?: number;
}

/** Re-exported for planner code that handles rewritten terms. */
export type { Term, RefTerm };
