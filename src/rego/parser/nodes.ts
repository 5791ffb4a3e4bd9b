/**
 * The Rego abstract syntax tree produced by the parser (`parseModule`, `parseQuery`).
 *
 * Every node is a plain JSON-serialisable object with a `type` tag (discriminated unions) and a `span`.
 * The tree keeps what the source says; it does not resolve imports or qualify names (the checker does).
 * Shapes follow OPA's AST closely so that compile checks can be written the way OPA describes them:
 *
 * - infix and prefix operators become `Call` terms whose `operator` names OPA's builtin (`x + 1` is
 *   `plus(x, 1)`, `x = y` is `eq(x, y)`, `x := y` is `assign(x, y)`, `x in xs` is `internal.member_2(x, xs)`,
 *   `k, v in xs` is `internal.member_3(k, v, xs)`); the written operator is kept in `Call.infix`;
 * - numbers keep their exact source text (`Number.value`), never a JS float;
 * - a reference `a.b[c]` is a `Ref` whose `head` is the first term and whose `path` holds the rest
 *   (`.b` becomes the string term `"b"`); a lone name is a `Var`, never a one-element `Ref`;
 * - module and rule annotations (`# METADATA` blocks) are collected raw in `Module.metadata`; structured
 *   parsing into `Annotations` lives in `src/rego/ast/`.
 *
 * Stability contract: changes to this file are additive only.
 */
import type { SourceSpan } from "../diagnostics.js";

export type { SourceSpan } from "../diagnostics.js";

/** Which syntax a module was written in. `v0` modules may opt into v1 rules with `import rego.v1`. */
export type RegoVersion = "v0" | "v1";

// ---------------------------------------------------------------------------------------------------------
// Terms (values and expressions that produce values)
// ---------------------------------------------------------------------------------------------------------

export interface NullTerm {
  type: "Null";
  span: SourceSpan;
}

export interface BooleanTerm {
  type: "Boolean";
  span: SourceSpan;
  value: boolean;
}

/**
 * A number literal, exact as written (after folding a leading unary minus: `-1` has value `"-1"`).
 * `value` is valid JSON number text (`1e400`, `123456789012345678901234567890`, `0.1`).
 */
export interface NumberTerm {
  type: "Number";
  span: SourceSpan;
  value: string;
}

/** A string literal; `value` is the decoded text. `raw` is true for back-quoted strings. */
export interface StringTerm {
  type: "String";
  span: SourceSpan;
  value: string;
  raw?: boolean;
}

/**
 * A variable or name. `_` is the wildcard; the parser keeps it as written (`name: "_"`), the checker gives
 * each wildcard its own generated name.
 */
export interface VarTerm {
  type: "Var";
  span: SourceSpan;
  name: string;
}

/**
 * A reference: `head` followed by `path` selectors. `data.a.b[x]` has head `Var data` and path
 * `["a", "b", Var x]` (dotted selectors are `String` terms). The head may also be a call
 * (`f(x)[0]`), or a composite/comprehension term (`[1, 2][i]`).
 */
export interface RefTerm {
  type: "Ref";
  span: SourceSpan;
  head: Term;
  path: Term[];
}

export interface ArrayTerm {
  type: "Array";
  span: SourceSpan;
  items: Term[];
}

/** A set literal `{1, 2}`; the empty set is written `set()` and parses to a `Set` with no items. */
export interface SetTerm {
  type: "Set";
  span: SourceSpan;
  items: Term[];
}

export interface ObjectEntry {
  type: "ObjectEntry";
  span: SourceSpan;
  key: Term;
  value: Term;
}

export interface ObjectTerm {
  type: "Object";
  span: SourceSpan;
  entries: ObjectEntry[];
}

export interface ArrayComprehension {
  type: "ArrayComprehension";
  span: SourceSpan;
  term: Term;
  body: Body;
}

export interface SetComprehension {
  type: "SetComprehension";
  span: SourceSpan;
  term: Term;
  body: Body;
}

export interface ObjectComprehension {
  type: "ObjectComprehension";
  span: SourceSpan;
  key: Term;
  value: Term;
  body: Body;
}

/** Names of the builtins that infix/prefix operators stand for. */
export type OperatorName =
  | "eq"
  | "assign"
  | "equal"
  | "neq"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "plus"
  | "minus"
  | "mul"
  | "div"
  | "rem"
  | "and"
  | "or"
  | "internal.member_2"
  | "internal.member_3";

/**
 * A function call `f(a, b)` or `x.y.z(a)`, or an operator expression. `operator` is the called name as
 * written (`Var count`, or `Ref` for dotted names such as `time.now_ns`; operators use a `Var` or `Ref` named
 * after the builtin, e.g. `Var plus`, `Ref internal.member_2`). `infix` is the operator text as written
 * (`"+"`, `"="`, `":="`, `"in"`, ...) and is absent for ordinary calls. Unary minus on a non-literal
 * (`-x`) is `minus(0, x)` with `infix: "unary-"`.
 */
export interface CallTerm {
  type: "Call";
  span: SourceSpan;
  operator: VarTerm | RefTerm;
  args: Term[];
  infix?: string;
}

/** Literal text inside a template string. */
export interface TemplateText {
  type: "TemplateText";
  span: SourceSpan;
  value: string;
}

/**
 * A template string `$"hello {name}!"` (or raw `` $`...{x}` ``). `parts` holds literal text and embedded
 * expressions in source order. An embedded expression is an `Expr` because it may carry `with` modifiers
 * (`$"{a with input as 1}"`); it is never negated and never `some`/`every`.
 */
export interface TemplateStringTerm {
  type: "TemplateString";
  span: SourceSpan;
  parts: Array<TemplateText | Expr>;
  raw: boolean;
}

export type ScalarTerm = NullTerm | BooleanTerm | NumberTerm | StringTerm;
export type CompositeTerm = ArrayTerm | SetTerm | ObjectTerm;
export type ComprehensionTerm = ArrayComprehension | SetComprehension | ObjectComprehension;

/** Anything that denotes a value. */
export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | CompositeTerm
  | ComprehensionTerm
  | CallTerm
  | TemplateStringTerm;

export type TermType = Term["type"];

// ---------------------------------------------------------------------------------------------------------
// Expressions (body literals)
// ---------------------------------------------------------------------------------------------------------

/** `some x, y` — declares local variables. */
export interface SomeVars {
  type: "SomeVars";
  span: SourceSpan;
  vars: VarTerm[];
}

/**
 * `some v in xs` / `some k, v in xs`. `key` is present only in the two-variable form; `value` and `key` may
 * be patterns (e.g. `some [a, b] in pairs`).
 */
export interface SomeIn {
  type: "SomeIn";
  span: SourceSpan;
  key?: Term;
  value: Term;
  collection: Term;
}

/** `every v in xs { body }` / `every k, v in xs { body }`. */
export interface Every {
  type: "Every";
  span: SourceSpan;
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Body;
}

/** `with target as value`. The target is `input…`, `data…` or a function/builtin name. */
export interface With {
  type: "With";
  span: SourceSpan;
  target: VarTerm | RefTerm;
  value: Term;
}

/**
 * One literal of a body: an optional `not`, the expression itself, and any `with` modifiers (in order).
 * `expr` is a term (most often a `Call` such as `eq`/`assign`/`gt`, or a bare ref/var/value) or a
 * `some`/`every` form. `not` never applies to `some`/`every`; `with` may follow `some … in` and `every`
 * (as OPA allows) but never `some x, y`.
 */
export interface Expr {
  type: "Expr";
  span: SourceSpan;
  negated: boolean;
  expr: Term | SomeVars | SomeIn | Every;
  with: With[];
}

/** A query or rule body: a conjunction of expressions (separated by newlines or `;`). */
export interface Body {
  type: "Body";
  span: SourceSpan;
  exprs: Expr[];
}

// ---------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------

/**
 * What a rule defines:
 * - `complete`: `p := v`, `p = v`, `p if {...}` (value `true`), `a.b.c := v` (ref head, all-string path);
 * - `partial-set`: `p contains x if {...}` (v1, a.k.a. multi-value rule) or v0 `p[x] { ... }`;
 * - `partial-object`: `p[k] := v`, `p[k] = v { ... }`, `a.b[k].c := v` (a ref head with a variable part);
 * - `function`: `f(x) := v`, `f(x) if {...}`, `f(x) = v {...}` (any clause with arguments).
 */
export type RuleKind = "complete" | "partial-set" | "partial-object" | "function";

/**
 * A rule head. `ref` is the rule's name as written: a `Var` (`p`) or a `Ref` (`a.b[c]`, `p[x]`). For
 * partial sets `key` is the member term and `ref` excludes it (v0 `p[x]` has ref `p` and key `x`; v1
 * `a.b contains x` has ref `a.b`). For functions `args` holds the parameters. `value` is the head value:
 * present when written, else the implied `true` (marked by `valueImplied`) for complete rules, functions
 * and partial objects; absent for partial sets. `assign` is true when written with `:=`.
 */
export interface RuleHead {
  type: "RuleHead";
  span: SourceSpan;
  ref: VarTerm | RefTerm;
  args?: Term[];
  key?: Term;
  value?: Term;
  valueImplied?: boolean;
  assign: boolean;
  /** v1 `contains` was written. */
  contains?: boolean;
}

/**
 * An `else` clause: `else = v if { ... }`, `else := v { ... }` or `else { ... }` (value `true`). `value` is
 * absent when not written (`true` is implied).
 */
export interface ElseClause {
  type: "Else";
  span: SourceSpan;
  value?: Term;
  assign: boolean;
  body: Body;
  /** The next `else` in the chain. */
  else?: ElseClause;
}

/**
 * A rule (one clause). v0 rules with several bodies (`p { a } { b }`) become several `Rule`s with equal
 * (separately copied) heads. A rule written without a body (`p := 1`, `default p := false`) gets an empty-bodied `Body`
 * (meaning `true`) and `bodyImplied: true`.
 */
export interface Rule {
  type: "Rule";
  span: SourceSpan;
  kind: RuleKind;
  default: boolean;
  head: RuleHead;
  body: Body;
  bodyImplied: boolean;
  /** Written with the `if` keyword. */
  if: boolean;
  else?: ElseClause;
}

// ---------------------------------------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------------------------------------

/** `package a.b.c`. `path` is the path as written, without the implicit `data.` root. */
export interface Package {
  type: "Package";
  span: SourceSpan;
  path: VarTerm | RefTerm;
}

/**
 * `import data.x.y as z`, `import input.a`, `import future.keywords.in`, `import rego.v1`. `path` starts
 * with the root var (`data`, `input`, `future`, `rego`).
 */
export interface Import {
  type: "Import";
  span: SourceSpan;
  path: VarTerm | RefTerm;
  alias?: VarTerm;
}

/** A `#` comment; `text` excludes the `#`. */
export interface Comment {
  type: "Comment";
  span: SourceSpan;
  text: string;
}

/**
 * A raw `# METADATA` block: the YAML text after the marker line (comment prefixes removed) and the span of
 * the whole comment block. `attachedTo` says what the block precedes: the package, a rule (index into
 * `Module.rules`) or nothing (a dangling block, e.g. at end of file).
 */
export interface MetadataBlock {
  type: "MetadataBlock";
  span: SourceSpan;
  yaml: string;
  /** Offsets of each YAML line within the source, so YAML error positions can be mapped back. */
  lineStarts: number[];
  /** 1-based source column at which each YAML line starts (2 after `#`, 3 after `# `). */
  lineColumns?: number[];
  attachedTo: { kind: "package" } | { kind: "rule"; index: number } | { kind: "none" };
}

export interface Module {
  type: "Module";
  span: SourceSpan;
  /** The syntax the module was parsed with (the caller's choice). */
  regoVersion: RegoVersion;
  /** True when v1 rule syntax applied: `regoVersion` is `v1`, or a v0 module with `import rego.v1`. */
  v1Syntax: boolean;
  package: Package;
  imports: Import[];
  rules: Rule[];
  comments: Comment[];
  metadata: MetadataBlock[];
}

/** A parsed query (`parseQuery`), e.g. `data.x.p = y`. */
export interface Query {
  type: "Query";
  span: SourceSpan;
  body: Body;
}

// ---------------------------------------------------------------------------------------------------------
// Structured annotations (produced by src/rego/ast from MetadataBlock; defined here so every layer shares one
// shape)
// ---------------------------------------------------------------------------------------------------------

export type AnnotationScope = "package" | "rule" | "document" | "subpackages";

export interface RelatedResource {
  ref: string;
  description?: string;
}

export interface AnnotationAuthor {
  name?: string;
  email?: string;
}

/** A schema annotation: `path` (a ref like `input.x`) bound either to a schema `ref` or an inline `definition`. */
export interface SchemaAnnotation {
  path: string[];
  schemaRef?: string[];
  definition?: unknown;
}

export interface Annotations {
  type: "Annotations";
  span: SourceSpan;
  scope: AnnotationScope;
  title?: string;
  description?: string;
  relatedResources?: RelatedResource[];
  authors?: AnnotationAuthor[];
  organizations?: string[];
  schemas?: SchemaAnnotation[];
  entrypoint?: boolean;
  custom?: Record<string, unknown>;
  /** What the annotation is attached to (same as the source `MetadataBlock`). */
  attachedTo: MetadataBlock["attachedTo"];
}

/** Any node of the tree. */
export type Node =
  | Term
  | ObjectEntry
  | TemplateText
  | SomeVars
  | SomeIn
  | Every
  | With
  | Expr
  | Body
  | RuleHead
  | ElseClause
  | Rule
  | Package
  | Import
  | Comment
  | MetadataBlock
  | Module
  | Query;
