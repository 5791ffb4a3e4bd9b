/**
 * Stage 1: resolve imports and references.
 *
 * - every module gets its package path (`data.…`) and its imports are validated: roots `data`, `input`,
 *   `future` (only `future.keywords` and `future.keywords.{contains,every,if,in}`) and `rego` (only `rego.v1`);
 *   anything else is a compile error, as are two imports binding the same name;
 * - every rule gets a working copy whose head ref is absolute (`data.pkg.p…`);
 * - in heads and bodies, a variable naming a rule of the same package becomes the ref `data.pkg.name`, an
 *   imported name becomes the imported path, and a call of a same-package function gets a `data.` operator.
 *   Variables declared in the scope (`:=`, `some`, `every`, function parameters) are never resolved: locals
 *   shadow rules and imports, as in OPA.
 */
import type {
  Body,
  ElseClause,
  Expr,
  Import,
  RefTerm,
  RuleHead,
  Term,
  VarTerm,
  With,
} from "../parser/nodes.js";
import { lookupBuiltin } from "../builtins/builtin-table.js";
import { CheckContext, headRef, type ModuleState } from "./check-context.js";
import { forEachVar, makeRef, mapChildren, mapSame, makeString, pathKey, refGroundPrefix, refStringPath } from "./term-utils.js";

const FUTURE_KEYWORDS = new Set(["contains", "every", "if", "in"]);

export function resolveRefsStage(ctx: CheckContext): void {
  // Pass 1: packages, imports, rule names per package.
  const rulePaths = new Set<string>();
  const namesByPackage = new Map<string, Set<string>>();
  for (const [index, mod] of ctx.modules.entries()) {
    resolveImports(ctx, mod);
    const pkgKey = pathKey(mod.pkg);
    ctx.packages.add(pkgKey);
    let names = namesByPackage.get(pkgKey);
    if (!names) {
      names = new Set();
      namesByPackage.set(pkgKey, names);
    }
    for (const rule of mod.source.rules) {
      const ref = headRef(rule.head);
      if (ref.head.type !== "Var") continue;
      names.add(ref.head.name);
      const full = [...mod.pkg, ...refGroundPrefix(ref)];
      rulePaths.add(pathKey(full));
      ctx.rules.push({
        module: index,
        file: mod.file,
        source: rule,
        kind: rule.kind,
        default: rule.default,
        path: full,
        head: rule.head,
        body: rule.body,
        else: rule.else,
        localNames: new Map(),
        nestedDecls: [],
        hoisted: new Set(),
      });
    }
  }

  // Pass 2: rewrite heads and bodies.
  for (const rule of ctx.rules) {
    const mod = ctx.modules[rule.module] as ModuleState;
    const r = new Resolver(mod, namesByPackage.get(pathKey(mod.pkg)) ?? new Set(), rulePaths, ctx.writtenNames);
    const argVars = new Set<string>();
    if (rule.head.args) for (const a of rule.head.args) forEachVar(a, (v) => argVars.add(v.name));
    const bodyScope = declaredVars(rule.body);
    for (const v of argVars) bodyScope.add(v);
    const body = r.body(rule.body, bodyScope);
    rule.head = r.head(rule.head, bodyScope, argVars);
    rule.body = body;
    if (rule.else) rule.else = r.elseClause(rule.else, argVars);
  }
}

function resolveImports(ctx: CheckContext, mod: ModuleState): void {
  const seen = new Map<string, Import>();
  for (const imp of mod.source.imports) {
    const parts = imp.path.type === "Var" ? [imp.path.name] : refStringPath(imp.path);
    if (!parts) {
      ctx.error("rego_compile_error", "invalid import path: path elements must be strings", imp.path.span);
      continue;
    }
    const root = parts[0] as string;
    if (root === "future") {
      const ok =
        parts.length >= 2 &&
        parts[1] === "keywords" &&
        (parts.length === 2 || (parts.length === 3 && FUTURE_KEYWORDS.has(parts[2] as string)));
      if (!ok) {
        ctx.error(
          "rego_compile_error",
          `invalid import ${parts.join(".")}, must be future.keywords or one of future.keywords.{contains, every, if, in}`,
          imp.path.span,
        );
      }
      mod.imports.push({ path: parts, span: imp.span });
      continue;
    }
    if (root === "rego") {
      if (parts.length !== 2 || parts[1] !== "v1") {
        ctx.error("rego_compile_error", `invalid import ${parts.join(".")}, must be rego.v1`, imp.path.span);
      }
      mod.imports.push({ path: parts, span: imp.span });
      continue;
    }
    if (root !== "data" && root !== "input") {
      ctx.error(
        "rego_compile_error",
        `invalid import ${parts.join(".")}: path must begin with one of {data, future, input, rego}, got ${root}`,
        imp.path.span,
      );
      continue;
    }
    const name = imp.alias?.name ?? (parts.length > 1 ? parts[parts.length - 1] : root);
    if (name === undefined) continue;
    if (imp.alias && parts.length === 1) {
      ctx.error("rego_compile_error", `import ${root} cannot be aliased`, imp.alias.span);
      continue;
    }
    const prev = seen.get(name);
    if (prev) {
      ctx.error("rego_compile_error", `import must not shadow import ${importText(prev)}`, imp.span, [
        { message: "the earlier import", span: prev.span },
      ]);
      continue;
    }
    seen.set(name, imp);
    mod.imports.push({ path: parts, name, span: imp.span });
    if (parts.length > 1 || imp.alias) mod.aliases.set(name, parts);
  }
}

function importText(imp: Import): string {
  const p = imp.path.type === "Var" ? imp.path.name : (refStringPath(imp.path) ?? []).join(".");
  return imp.alias ? `${p} as ${imp.alias.name}` : p;
}

/**
 * Variables a body declares at its top level: left-hand sides of `:=`, `some x`, and the key/value of
 * `some … in`. Nested scopes (comprehensions, `every`) are not included.
 */
export function declaredVars(body: Body): Set<string> {
  const out = new Set<string>();
  for (const e of body.exprs) {
    const x = e.expr;
    if (x.type === "SomeVars") for (const v of x.vars) out.add(v.name);
    else if (x.type === "SomeIn") {
      if (x.key) forEachVar(x.key, (v) => out.add(v.name));
      forEachVar(x.value, (v) => out.add(v.name));
    } else if (x.type === "Call" && isOperator(x.operator, "assign") && x.args[0]) {
      forEachVar(x.args[0], (v) => out.add(v.name), { skipClosures: true });
    }
  }
  return out;
}

export function isOperator(op: VarTerm | RefTerm, name: string): boolean {
  if (op.type === "Var") return op.name === name;
  const parts = refStringPath(op);
  return parts !== undefined && parts.join(".") === name;
}

class Resolver {
  constructor(
    private readonly mod: ModuleState,
    private readonly ruleNames: Set<string>,
    private readonly rulePaths: Set<string>,
    /** Collects written names that look like generated ones (`__local3__`), which generation must avoid. */
    private readonly written: Set<string>,
  ) {}

  private note(name: string): void {
    if (name.startsWith("__local")) this.written.add(name);
  }

  /** The full path a free (non-local) name stands for, if any. */
  private global(name: string): string[] | undefined {
    const alias = this.mod.aliases.get(name);
    if (alias) return alias;
    if (this.ruleNames.has(name)) return [...this.mod.pkg, name];
    return undefined;
  }

  head(h: RuleHead, scope: Set<string>, args: Set<string>): RuleHead {
    const ref = headRef(h);
    const full: RefTerm = {
      type: "Ref",
      span: h.ref.span,
      head: { type: "Var", name: "data", span: h.ref.span },
      path: [
        ...this.mod.pkg.slice(1).map((p) => makeString(p, h.ref.span)),
        makeString((ref.head as VarTerm).name, ref.head.span),
        ...ref.path.map((p) => (p.type === "String" ? p : this.term(p, scope))),
      ],
    };
    const out: RuleHead = { ...h, ref: full };
    if (h.args) out.args = h.args.map((a) => this.term(a, args));
    if (h.key) out.key = this.term(h.key, scope);
    if (h.value) out.value = this.term(h.value, scope);
    return out;
  }

  elseClause(e: ElseClause, args: Set<string>): ElseClause {
    const scope = new Set([...args, ...declaredVars(e.body)]);
    const out: ElseClause = { ...e, body: this.body(e.body, scope) };
    if (e.value) out.value = this.term(e.value, scope);
    if (e.else) out.else = this.elseClause(e.else, args);
    return out;
  }

  body(b: Body, scope: Set<string>): Body {
    const exprs = mapSame(b.exprs, (e) => this.expr(e, scope));
    return exprs === b.exprs ? b : { ...b, exprs };
  }

  private expr(e: Expr, scope: Set<string>): Expr {
    const x = e.expr;
    let expr: Expr["expr"];
    switch (x.type) {
      case "SomeVars":
        for (const v of x.vars) this.note(v.name);
        expr = x;
        break;
      case "SomeIn": {
        const value = this.term(x.value, scope);
        const collection = this.term(x.collection, scope);
        const key = x.key ? this.term(x.key, scope) : undefined;
        if (value === x.value && collection === x.collection && key === x.key) expr = x;
        else {
          const s: typeof x = { ...x, value, collection };
          if (key) s.key = key;
          expr = s;
        }
        break;
      }
      case "Every": {
        const inner = new Set([...scope, ...declaredVars(x.body)]);
        if (x.key) this.note(x.key.name);
        this.note(x.value.name);
        if (x.key) inner.add(x.key.name);
        inner.add(x.value.name);
        const domain = this.term(x.domain, scope);
        const body = this.body(x.body, inner);
        expr = domain === x.domain && body === x.body ? x : { ...x, domain, body };
        break;
      }
      default:
        expr = this.term(x, scope);
    }
    const withs = mapSame(e.with, (w) => this.withModifier(w, scope));
    return expr === e.expr && withs === e.with ? e : { ...e, expr, with: withs };
  }

  private withModifier(w: With, scope: Set<string>): With {
    const target = this.target(w.target);
    const value = this.term(w.value, scope);
    return target === w.target && value === w.value ? w : { ...w, target, value };
  }

  /** `with` targets: `input…`/`data…` stay; names of same-package rules or imports resolve; builtins stay. */
  private target(t: VarTerm | RefTerm): VarTerm | RefTerm {
    const parts = t.type === "Var" ? [t.name] : refStringPath(t);
    if (!parts) return t;
    const root = parts[0] as string;
    if (root === "input" || root === "data") return t;
    if (lookupBuiltin(parts.join("."))) return t;
    const g = this.global(root);
    if (!g) return t;
    return makeRef([...g, ...parts.slice(1)], t.span);
  }

  term(t: Term, scope: Set<string>): Term {
    switch (t.type) {
      case "Var": {
        this.note(t.name);
        if (scope.has(t.name)) return t;
        const g = this.global(t.name);
        return g ? makeRef(g, t.span) : t;
      }
      case "Ref": {
        const path = mapSame(t.path, (p) => this.term(p, scope));
        if (t.head.type === "Var" && !scope.has(t.head.name)) {
          const g = this.global(t.head.name);
          if (g) {
            const base = makeRef(g, t.head.span);
            return { ...t, head: base.head, path: [...base.path, ...path] };
          }
          return path === t.path ? t : { ...t, path };
        }
        const head = this.term(t.head, scope);
        return head === t.head && path === t.path ? t : { ...t, head, path };
      }
      case "Call": {
        const operator = this.operator(t.operator, scope);
        const args = mapSame(t.args, (a) => this.term(a, scope));
        return operator === t.operator && args === t.args ? t : { ...t, operator, args };
      }
      case "Array":
      case "Set":
      case "Object":
        return mapChildren(t, (c) => this.term(c, scope));
      case "ArrayComprehension":
      case "SetComprehension": {
        const inner = new Set([...scope, ...declaredVars(t.body)]);
        return { ...t, term: this.term(t.term, inner), body: this.body(t.body, inner) };
      }
      case "ObjectComprehension": {
        const inner = new Set([...scope, ...declaredVars(t.body)]);
        return {
          ...t,
          key: this.term(t.key, inner),
          value: this.term(t.value, inner),
          body: this.body(t.body, inner),
        };
      }
      case "TemplateString": {
        const parts = mapSame(t.parts, (p) => (p.type === "Expr" ? this.expr(p, scope) : p));
        return parts === t.parts ? t : { ...t, parts };
      }
      default:
        return t;
    }
  }

  /**
   * A call operator. A same-package rule or an import resolves to its `data.` path when that path is a rule
   * (or the name is not a builtin); builtin names stay as written.
   */
  private operator(op: VarTerm | RefTerm, scope: Set<string>): VarTerm | RefTerm {
    const parts = op.type === "Var" ? [op.name] : refStringPath(op);
    if (!parts) return op;
    const root = parts[0] as string;
    if (root === "data" || scope.has(root)) return op;
    const g = this.global(root);
    if (!g) return op;
    const full = [...g, ...parts.slice(1)];
    if (!this.rulePaths.has(pathKey(full)) && lookupBuiltin(parts.join("."))) return op;
    return makeRef(full, op.span);
  }
}
