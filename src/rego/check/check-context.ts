/**
 * The working state the check stages share. Each stage reads what earlier stages produced and adds its own
 * results; diagnostics accumulate in `diagnostics`. Nothing here is exported beyond the check layer.
 */
import type { Diagnostic, DiagnosticCode, RelatedSpan, SourceSpan } from "../diagnostics.js";
import type { Body, ElseClause, Module, RefTerm, Rule, RuleHead, RuleKind } from "../parser/nodes.js";
import type { RegoType } from "../builtins/rego-type.js";
import type { CheckOptions, ResolvedImport } from "./checked-program.js";

export interface ModuleState {
  file: string;
  source: Module;
  /** `["data", ...]`. */
  pkg: string[];
  imports: ResolvedImport[];
  /** Name bound by an import → the full path it stands for. */
  aliases: Map<string, string[]>;
  v1: boolean;
}

/** A rule being checked; stages replace `head`, `body` and `else` with rewritten versions. */
export interface RuleState {
  module: number;
  file: string;
  source: Rule;
  kind: RuleKind;
  default: boolean;
  /** Full head path including `data` up to the first non-string element: the rule-group key. */
  path: string[];
  head: RuleHead;
  body: Body;
  else?: ElseClause;
  /** Generated name → original. */
  localNames: Map<string, string>;
  /** Variables declared inside nested scopes (`every` bodies and domains, comprehensions); filled by stage 2. */
  nestedDecls: NestedDeclaration[];
  /** Generated variables holding head terms moved into the body (stage 2); never reported as unsafe. */
  hoisted: Set<string>;
}

/** A declaration in a scope nested inside a rule body: not visible to the enclosing body or the head. */
export interface NestedDeclaration {
  name: string;
  span: SourceSpan;
  scope: "every" | "comprehension";
}

export interface GroupState {
  path: string[];
  name: string;
  kind: RuleKind;
  arity?: number;
  rules: RuleState[];
  defaultRule?: RuleState;
  dependsOn: Set<string>;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly modules: ModuleState[] = [];
  readonly rules: RuleState[] = [];
  /** Filled by the rule-index stage. */
  readonly groups = new Map<string, GroupState>();
  /** Sorted group names (filled by the rule-index stage). */
  groupNames: string[] = [];
  /** Package names with modules. */
  readonly packages = new Set<string>();
  /** Filled by the recursion stage. */
  evaluationOrder: string[] = [];
  /** Filled by the type stage. */
  readonly ruleTypes = new Map<string, RegoType>();
  /** Written variable names that look like generated locals (`__local3__`): generated names avoid them. */
  readonly writtenNames = new Set<string>();
  private localCounter = 0;
  private wildcardCounter = 0;
  private readonly limit: number;

  constructor(readonly opts: CheckOptions) {
    this.limit = opts.errorLimit ?? 100;
  }

  error(code: DiagnosticCode, message: string, span: SourceSpan, related?: RelatedSpan[]): void {
    if (this.diagnostics.length >= this.limit) return;
    const d: Diagnostic = { code, message, span };
    if (related && related.length > 0) d.related = related;
    this.diagnostics.push(d);
  }

  get failed(): boolean {
    return this.diagnostics.length > 0;
  }

  newLocal(): string {
    for (;;) {
      const name = `__local${this.localCounter++}__`;
      if (!this.writtenNames.has(name)) return name;
    }
  }

  /** `$N`: `$` cannot appear in a written name, so these never collide. */
  newWildcard(): string {
    return `$${this.wildcardCounter++}`;
  }

  /** The rule tree: groups by path, one node per path element (filled by the rule-index stage). */
  readonly tree: TreeNode = { children: new Map() };

  /** Adds a group to the rule tree. */
  addToTree(g: GroupState): void {
    addToPathTree(this.tree, g);
  }

  private node(path: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.tree;
    for (const el of path) {
      node = node.children.get(el);
      if (!node) return undefined;
    }
    return node;
  }

  /** The group a data path refers to, the longest group path that is a prefix of `path`. */
  groupForPath(path: readonly string[]): GroupState | undefined {
    let node: TreeNode | undefined = this.tree;
    let found: GroupState | undefined;
    for (const el of path) {
      node = node.children.get(el);
      if (!node) break;
      if (node.group) found = node.group;
    }
    return found;
  }

  /** Every group strictly below `prefix` in the rule tree, in name order. */
  groupsUnder(prefix: readonly string[]): GroupState[] {
    const node = this.node(prefix);
    const out: GroupState[] = [];
    if (node) for (const child of node.children.values()) collectGroups(child, out);
    return out.sort(byName);
  }

  /**
   * The groups a `data` ref may read, given its path pattern (`refPattern`): groups whose path agrees with
   * the pattern on their common length (a `WILDCARD` element matches anything, a `null` element nothing).
   * A ref into a group's document, or a ref to an inner node above several groups, depends on each of them.
   */
  groupsForPattern(pattern: readonly RefPatternElement[]): GroupState[] {
    const out: GroupState[] = [];
    const root = pattern[0] === WILDCARD ? this.tree.children.get("data") : this.tree.children.get(pattern[0] ?? "");
    if (!root || (pattern[0] !== "data" && pattern[0] !== WILDCARD)) return out;
    const visit = (node: TreeNode, i: number): void => {
      if (i >= pattern.length) {
        collectGroups(node, out);
        return;
      }
      if (node.group) out.push(node.group);
      const el = pattern[i];
      if (el === WILDCARD) for (const child of node.children.values()) visit(child, i + 1);
      else if (typeof el === "string") {
        const child = node.children.get(el);
        if (child) visit(child, i + 1);
      }
    };
    visit(root, 1);
    return out;
  }
}

/** A node of a tree of groups by path, one node per path element. */
export interface PathTree<G> {
  children: Map<string, PathTree<G>>;
  group?: G;
}

/** A node of the rule tree. */
export type TreeNode = PathTree<GroupState>;

/** Puts `group` at its path in the tree, making the nodes on the way. */
export function addToPathTree<G extends { path: readonly string[] }>(root: PathTree<G>, group: G): void {
  let node = root;
  for (const el of group.path) {
    let next = node.children.get(el);
    if (!next) {
      next = { children: new Map() };
      node.children.set(el, next);
    }
    node = next;
  }
  node.group = group;
}

function collectGroups(node: TreeNode, out: GroupState[]): void {
  if (node.group) out.push(node.group);
  for (const child of node.children.values()) collectGroups(child, out);
}

function byName(a: GroupState, b: GroupState): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A path element of a ref pattern: a string key, `WILDCARD` (a variable or other non-constant), or null (a
 * constant that is not a string, which no rule path matches). */
export type RefPatternElement = string | typeof WILDCARD | null;
export const WILDCARD: unique symbol = Symbol("wildcard");

/** The head ref of a rule as `Ref` (a `Var` head `p` is the ref `p`). */
export function headRef(head: RuleHead): RefTerm {
  if (head.ref.type === "Ref") return head.ref;
  return { type: "Ref", span: head.ref.span, head: head.ref, path: [] };
}
