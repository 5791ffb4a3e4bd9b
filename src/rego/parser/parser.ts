/**
 * The Rego recursive-descent parser behind `parseModule` and `parseQuery`. Grammar and operator
 * precedence follow OPA's (lowest to highest): `:=`/`=` (expression level), `in`, comparison
 * (`== != < <= > >=`), `|`, `&`, `+ -`, `* / %`, then terms with ref/call suffixes.
 *
 * Internally a syntax error aborts the current statement (`ParseAbort`); the module parser then skips to
 * the next line that starts at column 1 and continues, so several errors can be reported. Nothing in
 * here may escape as an exception to callers: the entry points convert everything into diagnostics.
 */
import type { Diagnostic } from "../diagnostics.js";
import { LineIndex } from "../lexer/line-index.js";
import type { LexComment, Token } from "../lexer/token.js";
import { tokenize } from "../lexer/tokenize.js";
import type {
  Body,
  CallTerm,
  Comment,
  ElseClause,
  Every,
  Expr,
  Import,
  MetadataBlock,
  Module,
  ObjectEntry,
  Package,
  Query,
  RefTerm,
  RegoVersion,
  Rule,
  RuleHead,
  RuleKind,
  SomeIn,
  SomeVars,
  Term,
  TemplateStringTerm,
  TemplateText,
  VarTerm,
  With,
} from "./nodes.js";

/**
 * Thrown to abandon the current statement after a diagnostic was recorded. Deliberately not an `Error`:
 * backtracking throws these often, and capturing a stack trace each time would dominate parse time.
 */
class ParseAbort {
  constructor(readonly pos: number) {}
}

/** Nesting limit for terms/bodies; deeper input gets a diagnostic instead of exhausting the stack. */
export const MAX_PARSE_DEPTH = 300;

const BASE_KEYWORDS = ["package", "import", "as", "default", "else", "not", "some", "with", "null", "true", "false"];
export const FUTURE_KEYWORDS = ["contains", "every", "if", "in"];

const OP_NAMES: Record<string, string> = {
  "=": "eq",
  ":=": "assign",
  "==": "equal",
  "!=": "neq",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
  "+": "plus",
  "-": "minus",
  "*": "mul",
  "/": "div",
  "%": "rem",
  "&": "and",
  "|": "or",
};

/** OPA's names for tokens in "unexpected X token" messages. */
function tokenName(t: Token): string {
  switch (t.kind) {
    case "ident":
      return t.value;
    case "template":
      return t.last ? "template-string-end" : "template-string-part";
    case "eof":
    case "number":
    case "string":
    case "illegal":
      return t.kind;
    default:
      return OP_NAMES[t.kind] ?? t.kind;
  }
}

/** OPA's `ValueName` for a term type, used in messages such as "var cannot be used for rule name". */
export function valueName(t: Term): string {
  switch (t.type) {
    case "Null":
      return "null";
    case "Boolean":
      return "boolean";
    case "Number":
      return "number";
    case "String":
      return "string";
    case "Var":
      return "var";
    case "Ref":
      return "ref";
    case "Array":
      return "array";
    case "Set":
      return "set";
    case "Object":
      return "object";
    case "ArrayComprehension":
      return "arraycomprehension";
    case "SetComprehension":
      return "setcomprehension";
    case "ObjectComprehension":
      return "objectcomprehension";
    case "Call":
      return "call";
    case "TemplateString":
      return "templatestring";
  }
}

/** True when the term contains no variables, refs or calls (comprehensions count as non-ground). */
export function isGroundTerm(t: Term): boolean {
  return isGroundTermWith(t, () => false);
}

/** As `isGroundTerm`, but a variable counts as ground when `groundVar` says so (e.g. one already bound). */
export function isGroundTermWith(t: Term, groundVar: (name: string) => boolean): boolean {
  switch (t.type) {
    case "Null":
    case "Boolean":
    case "Number":
    case "String":
      return true;
    case "Var":
      return groundVar(t.name);
    case "Array":
    case "Set":
      return t.items.every((i) => isGroundTermWith(i, groundVar));
    case "Object":
      return t.entries.every((e) => isGroundTermWith(e.key, groundVar) && isGroundTermWith(e.value, groundVar));
    default:
      return false;
  }
}

/**
 * The kind of rule a head defines: arguments make a function, a key (`contains x`, v0 `p[x]`) a partial
 * set, a ref head with a non-ground selector (`p[k] := v`, `a.b[k].c := v`) a partial object, anything else
 * a complete rule.
 */
export function classifyRuleHead(head: RuleHead): RuleKind {
  if (head.args) return "function";
  if (head.key) return "partial-set";
  if (head.ref.type === "Ref" && !head.ref.path.every(isGroundTerm)) return "partial-object";
  return "complete";
}

export interface ParserOptions {
  file: string;
  regoVersion: RegoVersion;
}

interface Statement {
  kind: "package" | "import" | "rule";
  start: number;
  ruleIndex?: number;
}

export class Parser {
  private readonly tokens: Token[];
  private readonly lexComments: LexComment[];
  private readonly lines: LineIndex;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly keywords = new Set<string>(BASE_KEYWORDS);
  private pos = 0;
  private depth = 0;
  private v1Syntax: boolean;
  private readonly termCache = new Map<number, { term: Term; end: number; diags: number }>();
  /** Positions where `parseTerm` failed, with the diagnostics it recorded (re-raised on a retry). */
  private readonly termFailures = new Map<number, { failedAt: number; diags: Diagnostic[] }>();

  constructor(
    private readonly text: string,
    private readonly opts: ParserOptions,
  ) {
    const lexed = tokenize(text);
    this.tokens = lexed.tokens;
    this.lexComments = lexed.comments;
    this.lines = new LineIndex(opts.file, text);
    this.v1Syntax = opts.regoVersion === "v1";
    if (this.v1Syntax) for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
    for (const e of lexed.errors) {
      this.diagnostics.push({ code: "rego_parse_error", message: e.message, span: this.lines.span(e.offset, e.offset) });
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // token helpers
  // -------------------------------------------------------------------------------------------------------

  private get cur(): Token {
    return this.tokens[this.pos] as Token;
  }

  /** The current token's kind (a method, so TypeScript does not narrow it across `advance()`). */
  private tk(): Token["kind"] {
    return this.cur.kind;
  }

  private peek(k = 1): Token {
    return (this.tokens[this.pos + k] ?? this.tokens[this.tokens.length - 1]) as Token;
  }

  private advance(): Token {
    const t = this.cur;
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  /** End offset of the last consumed token. */
  private get prevEnd(): number {
    return this.pos > 0 ? (this.tokens[this.pos - 1] as Token).end : 0;
  }

  private span(start: number, end = this.prevEnd) {
    return this.lines.span(start, end);
  }

  private isKw(t: Token, kw: string): boolean {
    return t.kind === "ident" && t.value === kw && this.keywords.has(kw);
  }

  private isKeyword(t: Token): boolean {
    return t.kind === "ident" && this.keywords.has(t.value);
  }

  /** A keyword directly followed by `.` or `[` is the head of a ref (OPA's "keywords in refs"). */
  private refAhead(): boolean {
    const n = this.peek();
    return !n.ws && (n.kind === "." || n.kind === "[");
  }

  private error(message: string, at: number): Diagnostic {
    const d: Diagnostic = { code: "rego_parse_error", message, span: this.lines.span(at, at) };
    this.diagnostics.push(d);
    return d;
  }

  private errorSpan(message: string, start: number, end: number): void {
    this.diagnostics.push({ code: "rego_parse_error", message, span: this.lines.span(start, end) });
  }

  /** Records "unexpected X token[: note]" at the current token and aborts the statement. */
  private fail(note?: string, t: Token = this.cur): never {
    if (t.kind === "illegal") {
      // The lexer already reported why; do not pile on.
      throw new ParseAbort(this.pos);
    }
    const keyword = this.isKeyword(t);
    const kind = keyword ? "keyword" : "token";
    const name = t.kind === "ident" && !keyword ? "ident" : tokenName(t);
    this.error(note ? `unexpected ${name} ${kind}: ${note}` : `unexpected ${name} ${kind}`, t.start);
    throw new ParseAbort(this.pos);
  }

  private failAt(message: string, at: number): never {
    this.error(message, at);
    throw new ParseAbort(this.pos);
  }

  private expect(kind: Token["kind"], note?: string): Token {
    if (this.tk() !== kind) this.fail(note ?? `expected ${kind}`);
    return this.advance();
  }

  /** Runs `fn`; on a syntax error restores the position and diagnostics and returns undefined. */
  private attempt<T>(fn: () => T): { value: T } | { failedAt: number } {
    const pos = this.pos;
    const diags = this.diagnostics.length;
    const depth = this.depth;
    try {
      return { value: fn() };
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      const failedAt = this.pos;
      this.pos = pos;
      this.diagnostics.length = diags;
      this.depth = depth;
      return { failedAt };
    }
  }

  private enter(): void {
    if (++this.depth > MAX_PARSE_DEPTH) {
      this.depth = 0;
      this.failAt("max parsing recursion depth exceeded", this.cur.start);
    }
  }

  private leave(): void {
    this.depth--;
  }

  // -------------------------------------------------------------------------------------------------------
  // terms
  // -------------------------------------------------------------------------------------------------------

  private makeVar(t: Token): VarTerm {
    return { type: "Var", span: this.lines.span(t.start, t.end), name: t.value };
  }

  private operatorTerm(name: string, t: Token): VarTerm | RefTerm {
    const span = this.lines.span(t.start, t.end);
    if (name.startsWith("internal.")) {
      return {
        type: "Ref",
        span,
        head: { type: "Var", span, name: "internal" },
        path: [{ type: "String", span, value: name.slice("internal.".length) }],
      };
    }
    return { type: "Var", span, name };
  }

  private binary(op: Token, lhs: Term, rhs: Term, start: number): CallTerm {
    const name = op.kind === "ident" ? "internal.member_2" : (OP_NAMES[op.kind] as string);
    return {
      type: "Call",
      span: this.span(start),
      operator: this.operatorTerm(name, op),
      args: [lhs, rhs],
      infix: op.kind === "ident" ? "in" : op.kind,
    };
  }

  /** `in`-level term; with `keyVal`, also `k, v in xs`. (OPA: parseTermInfixCall.) */
  parseInfix(keyVal: boolean): Term {
    this.enter();
    const start = this.cur.start;
    let lhs = this.parseRelation();
    if (keyVal && this.tk() === "," && this.keywords.has("in")) {
      const saved = this.pos;
      const diags = this.diagnostics.length;
      this.advance();
      const r = this.attempt(() => this.parseRelation());
      if ("value" in r && this.isKw(this.cur, "in") && !this.refAhead()) {
        const op = this.advance();
        const rhs = this.parseRelation();
        lhs = {
          type: "Call",
          span: this.span(start),
          operator: this.operatorTerm("internal.member_3", op),
          args: [lhs, r.value, rhs],
          infix: "in",
        };
      } else {
        this.pos = saved;
        this.diagnostics.length = diags;
      }
    }
    while (this.isKw(this.cur, "in") && !this.refAhead()) {
      const op = this.advance();
      const rhs = this.parseRelation();
      lhs = this.binary(op, lhs, rhs, start);
    }
    this.leave();
    return lhs;
  }

  private parseRelation(): Term {
    const start = this.cur.start;
    let lhs = this.parseOr();
    for (;;) {
      const k = this.tk();
      if (k !== "==" && k !== "!=" && k !== "<" && k !== "<=" && k !== ">" && k !== ">=") return lhs;
      const op = this.advance();
      lhs = this.binary(op, lhs, this.parseOr(), start);
    }
  }

  private parseOr(): Term {
    const start = this.cur.start;
    let lhs = this.parseAnd();
    while (this.tk() === "|") {
      const op = this.advance();
      lhs = this.binary(op, lhs, this.parseAnd(), start);
    }
    return lhs;
  }

  private parseAnd(): Term {
    const start = this.cur.start;
    let lhs = this.parseArith();
    while (this.tk() === "&") {
      const op = this.advance();
      lhs = this.binary(op, lhs, this.parseArith(), start);
    }
    return lhs;
  }

  private parseArith(): Term {
    const start = this.cur.start;
    let lhs = this.parseFactor();
    while (this.tk() === "+" || this.tk() === "-") {
      const op = this.advance();
      lhs = this.binary(op, lhs, this.parseFactor(), start);
    }
    return lhs;
  }

  private parseFactor(): Term {
    const start = this.cur.start;
    let lhs = this.parseTerm();
    while (this.tk() === "*" || this.tk() === "/" || this.tk() === "%") {
      const op = this.advance();
      lhs = this.binary(op, lhs, this.parseTerm(), start);
    }
    return lhs;
  }

  /** A primary term with its ref/call suffixes. */
  parseTerm(): Term {
    const startPos = this.pos;
    const cached = this.termCache.get(startPos);
    if (cached && cached.diags === this.diagnostics.length) {
      this.pos = cached.end;
      return cached.term;
    }
    const failed = this.termFailures.get(startPos);
    if (failed) {
      this.diagnostics.push(...failed.diags);
      this.pos = failed.failedAt;
      throw new ParseAbort(failed.failedAt);
    }
    const diagsBefore = this.diagnostics.length;
    const depthBefore = this.depth;
    try {
      return this.parseTermUncached(startPos);
    } catch (e) {
      if (e instanceof ParseAbort) {
        this.termFailures.set(startPos, { failedAt: this.pos, diags: this.diagnostics.slice(diagsBefore) });
        this.depth = depthBefore;
      }
      throw e;
    }
  }

  private parseTermUncached(startPos: number): Term {
    this.enter();
    const t = this.cur;
    let term: Term;
    switch (t.kind) {
      case "ident": {
        if (this.keywords.has(t.value) && !this.refAhead()) {
          if (t.value === "null") term = { type: "Null", span: this.lines.span(t.start, t.end) };
          else if (t.value === "true" || t.value === "false") {
            term = { type: "Boolean", span: this.lines.span(t.start, t.end), value: t.value === "true" };
          } else if (t.value === "contains") {
            term = this.makeVar(t);
          } else {
            this.fail();
          }
        } else {
          term = this.makeVar(t);
        }
        this.advance();
        break;
      }
      case "number":
      case "-":
      case ".":
        term = this.parseNumber();
        break;
      case "string":
        this.advance();
        term = { type: "String", span: this.lines.span(t.start, t.end), value: t.value };
        if (t.raw) term.raw = true;
        break;
      case "template":
        if (!t.first) this.fail();
        term = this.parseTemplate();
        break;
      case "[":
        term = this.parseArray();
        break;
      case "{":
        term = this.parseSetOrObject();
        break;
      case "(": {
        this.advance();
        const inner = this.parseInfix(true);
        if (this.tk() !== ")") this.failAt("non-terminated expression", this.cur.start);
        this.advance();
        term = inner;
        break;
      }
      default:
        this.fail();
    }
    term = this.parseSuffixes(term, false);
    this.leave();
    // Only composite terms are worth memoising (re-parsing them on backtracking could be exponential).
    if (t.kind === "[" || t.kind === "{" || t.kind === "(") {
      this.termCache.set(startPos, { term, end: this.pos, diags: this.diagnostics.length });
    }
    return term;
  }

  private parseNumber(): Term {
    const start = this.cur.start;
    let prefix = "";
    if (this.tk() === "-") {
      this.advance();
      prefix = "-";
      if (this.tk() !== "number" && this.tk() !== ".") this.fail("expected number");
    }
    if (this.tk() === ".") {
      if (this.peek().kind !== "number" || this.peek().ws) {
        this.advance();
        this.fail("expected number");
      }
      this.advance();
      prefix += "0.";
      const num = this.advance();
      if (/[.]/.test(num.value)) this.failAt("invalid float", num.start);
      return this.numberTerm(prefix + num.value, start, num);
    }
    const num = this.advance();
    const lit = num.value;
    if (lit.length > 1 && lit[0] === "0" && lit[1] !== "." && lit[1] !== "e" && lit[1] !== "E") {
      this.pos--;
      this.fail("expected number without leading zero");
    }
    return this.numberTerm(prefix + lit, start, num);
  }

  private numberTerm(value: string, start: number, last: Token): Term {
    const hasExp = value.includes("e") || value.includes("E");
    const m = hasExp || value.length > 30000 ? /^-?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value) : null;
    if (m) {
      const intDigits = (m[1] ?? "").replace(/^0+/, "").length;
      const exp = m[3] !== undefined ? Number(m[3]) : 0;
      if (!Number.isFinite(exp) || Math.abs(exp + intDigits) > 30000) this.failAt("number too big", last.start);
    }
    return { type: "Number", span: this.lines.span(start, last.end), value };
  }

  private parseTemplate(): TemplateStringTerm {
    const first = this.cur;
    const parts: Array<TemplateText | Expr> = [];
    const raw = first.raw === true;
    for (;;) {
      const part = this.advance();
      if (part.value.length > 0) {
        parts.push({ type: "TemplateText", span: this.lines.span(part.start, part.end), value: part.value });
      }
      if (part.last) break;
      const exprStart = this.cur.start;
      const expr = this.parseLiteral();
      const inner = expr.expr;
      if (expr.negated) this.failAt("unexpected negation ('not') in template-string expression", exprStart);
      if (inner.type === "Call" && inner.infix === "=") {
        this.failAt("unexpected unification ('=') in template-string expression", exprStart);
      }
      if (inner.type === "Call" && inner.infix === ":=") {
        this.failAt("unexpected assignment (':=') in template-string expression", exprStart);
      }
      if (inner.type === "Every") this.failAt("unexpected 'every' in template-string expression", exprStart);
      if (inner.type === "SomeIn" || inner.type === "SomeVars") {
        this.failAt("unexpected 'some' in template-string expression", exprStart);
      }
      parts.push(expr);
      if (this.tk() !== "template" || this.cur.first) {
        this.failAt("expected } to end template string expression", this.cur.start);
      }
    }
    return { type: "TemplateString", span: this.span(first.start), parts, raw };
  }

  /** Ref (`.x`, `[t]`) and call (`(args)`) suffixes directly attached to `head` (no whitespace before). */
  private parseSuffixes(head: Term, allowLeadingWs: boolean): Term {
    let term = head;
    let first = true;
    for (;;) {
      const t = this.cur;
      if (t.ws && !(first && allowLeadingWs)) return term;
      first = false;
      if (t.kind === ".") {
        this.checkRefHead(term);
        this.advance();
        const name = this.cur;
        if (name.kind !== "ident" || name.ws) this.fail("expected ident");
        this.advance();
        term = this.appendPath(term, { type: "String", span: this.lines.span(name.start, name.end), value: name.value });
      } else if (t.kind === "[") {
        this.checkRefHead(term);
        this.advance();
        const sel = this.parseInfix(true);
        if (this.tk() !== "]") this.fail("expected ]");
        this.advance();
        term = this.appendPath(term, sel);
      } else if (t.kind === "(") {
        if (term.type !== "Var" && !(term.type === "Ref" && term.head.type === "Var")) this.fail();
        term = this.parseCall(term);
      } else {
        return term;
      }
    }
  }

  private checkRefHead(term: Term): void {
    switch (term.type) {
      case "Var":
      case "Ref":
      case "Array":
      case "Object":
      case "Set":
      case "ArrayComprehension":
      case "SetComprehension":
      case "ObjectComprehension":
      case "Call":
        return;
      default:
        this.failAt(`illegal ref (head cannot be ${valueName(term)})`, term.span.start.offset);
    }
  }

  private appendPath(term: Term, sel: Term): RefTerm {
    const start = term.span.start.offset;
    if (term.type === "Ref") return { type: "Ref", span: this.span(start), head: term.head, path: [...term.path, sel] };
    return { type: "Ref", span: this.span(start), head: term, path: [sel] };
  }

  private parseCall(operator: VarTerm | RefTerm): Term {
    const start = operator.span.start.offset;
    this.enter();
    this.advance(); // (
    const args: Term[] = [];
    if (this.tk() !== ")") this.parseTermList(")", args);
    this.advance(); // )
    this.leave();
    if (args.length === 0 && operator.type === "Var" && operator.name === "set") {
      return { type: "Set", span: this.span(start), items: [] };
    }
    return { type: "Call", span: this.span(start), operator, args };
  }

  /** Items `t, t, ...` up to `end` (current token is the first item); leaves the position on `end`. */
  private parseTermList(end: "]" | "}" | ")", into: Term[]): void {
    for (;;) {
      into.push(this.parseInfix(false));
      if (this.tk() === end) return;
      if (this.tk() !== ",") this.fail(`expected "," or "${end}"`);
      this.advance();
      if (this.tk() === end) return;
    }
  }

  private parseArray(): Term {
    const open = this.advance();
    const start = open.start;
    if (this.tk() === "]") {
      this.advance();
      return { type: "Array", span: this.span(start), items: [] };
    }
    const potentialComprehension = this.skipLeadingComma();
    const saved = this.pos;
    const head = this.attempt(() => this.parseTerm());
    if ("value" in head) return this.parseCollectionRest("Array", start, saved, head.value, potentialComprehension);
    return this.parseCollectionItems("Array", start, saved);
  }

  /** A `,` right after `[` or `{` is skipped; it rules out a comprehension (returns whether one is still possible). */
  private skipLeadingComma(): boolean {
    if (this.tk() !== ",") return true;
    this.advance();
    return false;
  }

  /**
   * The rest of an array or set after its first item `head` (read from `saved`): the closing bracket, more
   * items after `,`, or `|` and a comprehension body. Anything else, or a comprehension body that does not
   * parse at a `,` (`[a | b, c]`), re-reads the whole collection from `saved` as plain items.
   */
  private parseCollectionRest(type: "Array" | "Set", start: number, saved: number, head: Term, potentialComprehension: boolean): Term {
    const end = type === "Array" ? "]" : "}";
    if (this.tk() === end) {
      this.advance();
      return { type, span: this.span(start), items: [head] };
    }
    if (this.tk() === ",") {
      this.advance();
      const items = [head];
      if (this.tk() !== end) this.parseTermList(end, items);
      this.advance();
      return { type, span: this.span(start), items };
    }
    if (this.tk() === "|" && potentialComprehension) {
      this.advance();
      const body = this.attemptComprehensionBody(end);
      if (body) return { type: type === "Array" ? "ArrayComprehension" : "SetComprehension", span: this.span(start), term: head, body };
    }
    return this.parseCollectionItems(type, start, saved);
  }

  /** An array or set read from `from` as plain items up to its closing bracket. */
  private parseCollectionItems(type: "Array" | "Set", start: number, from: number): Term {
    this.pos = from;
    const items: Term[] = [];
    this.parseTermList(type === "Array" ? "]" : "}", items);
    this.advance();
    return { type, span: this.span(start), items };
  }

  /**
   * Parses a comprehension body up to `end`. Returns undefined when the body does not parse but the
   * failure was at a `,` (then the caller retries as a plain collection, e.g. `[a | b, c]`); any other
   * failure is reported.
   */
  private attemptComprehensionBody(end: "]" | "}"): Body | undefined {
    const r = this.attempt(() => {
      const b = this.parseBody(end);
      this.advance();
      return b;
    });
    if ("value" in r) return r.value;
    if ((this.tokens[r.failedAt] as Token).kind === ",") return undefined;
    const b = this.parseBody(end); // re-run to record the diagnostic and abort
    this.advance();
    return b;
  }

  private parseSetOrObject(): Term {
    const open = this.advance();
    const start = open.start;
    if (this.tk() === "}") {
      this.advance();
      return { type: "Object", span: this.span(start), entries: [] };
    }
    const potentialComprehension = this.skipLeadingComma();
    const saved = this.pos;
    const head = this.attempt(() => this.parseTerm());
    if ("value" in head) {
      const k = this.tk();
      if ((k === "|" && potentialComprehension) || k === "}" || k === ",") {
        return this.parseCollectionRest("Set", start, saved, head.value, potentialComprehension);
      }
      if (k === ":") return this.parseObjectRest(start, head.value, potentialComprehension);
    }
    this.pos = saved;
    const key = this.parseInfix(false);
    const k = this.tk();
    if (k === "}" || k === ",") return this.parseCollectionRest("Set", start, saved, key, false);
    if (k === ":") return this.parseObjectRest(start, key, potentialComprehension);
    this.fail("non-terminated set");
  }

  private parseObjectRest(start: number, key: Term, potentialComprehension: boolean): Term {
    this.advance(); // :
    const saved = this.pos;
    let potentialRelation = true;
    if (potentialComprehension) {
      const v = this.attempt(() => this.parseTerm());
      if ("value" in v) {
        const k = this.tk();
        if (k === "}" || k === ",") potentialRelation = false;
        if (k === "|") {
          this.advance();
          const body = this.attemptComprehensionBody("}");
          if (body) return { type: "ObjectComprehension", span: this.span(start), key, value: v.value, body };
        } else if (!potentialRelation) {
          return this.finishObject(start, key, v.value);
        }
      }
    }
    this.pos = saved;
    const value = this.parseInfix(false);
    if (this.tk() === "}" || this.tk() === ",") return this.finishObject(start, key, value);
    this.fail("non-terminated object");
  }

  private finishObject(start: number, key: Term, value: Term): Term {
    const entries: ObjectEntry[] = [this.entry(key, value)];
    if (this.tk() === ",") {
      this.advance();
      while (this.tk() !== "}") {
        const k = this.parseInfix(false);
        if (this.tk() !== ":") this.fail('expected ":"');
        this.advance();
        const v = this.parseInfix(false);
        entries.push(this.entry(k, v));
        if (this.tk() === "}") break;
        if (this.tk() !== ",") this.fail('expected "," or "}"');
        this.advance();
      }
    }
    this.advance(); // }
    return { type: "Object", span: this.span(start), entries };
  }

  private entry(key: Term, value: Term): ObjectEntry {
    return {
      type: "ObjectEntry",
      span: this.lines.span(key.span.start.offset, value.span.end.offset),
      key,
      value,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // expressions and bodies
  // -------------------------------------------------------------------------------------------------------

  /** Body literals up to (not including) `end`; newline or `;` separated. */
  parseBody(end: "}" | "]" | "eof"): Body {
    this.enter();
    const start = this.cur.start;
    if (this.tk() === end) this.failAt("found empty body", this.cur.start);
    const exprs: Expr[] = [];
    for (;;) {
      exprs.push(this.parseLiteral());
      if (this.tk() === ";") {
        this.advance();
        continue;
      }
      if (this.tk() === end) break;
      if (!this.cur.nl) {
        const hint =
          this.cur.kind === "ident" && (this.cur.value === "in" || this.cur.value === "every") && !this.keywords.has(this.cur.value)
            ? ` (hint: \`import future.keywords.${this.cur.value}\` for \`${this.cur.value === "in" ? "some x in xs" : "every x in xs { ... }"}\` expressions)`
            : "";
        this.fail(`expected \\n or ; or ${end === "eof" ? "eof" : end}${hint}`);
      }
    }
    this.leave();
    return { type: "Body", span: this.span(start), exprs };
  }

  parseLiteral(): Expr {
    const start = this.cur.start;
    let negated = false;
    if (this.isKw(this.cur, "not") && !this.refAhead()) {
      this.advance();
      negated = true;
    }
    let inner: Expr["expr"];
    if (this.isKw(this.cur, "some") && !this.refAhead()) {
      if (negated) this.fail("illegal negation of 'some'");
      inner = this.parseSome();
    } else if (this.isKw(this.cur, "every") && !this.refAhead()) {
      if (negated) this.fail("illegal negation of 'every'");
      inner = this.parseEvery();
    } else {
      const exprStart = this.cur.start;
      const lhs = this.parseInfix(true);
      if (this.tk() === ":=" || this.tk() === "=") {
        const op = this.advance();
        const rhs = this.parseInfix(true);
        inner = this.binary(op, lhs, rhs, exprStart);
      } else {
        inner = lhs;
      }
    }
    const withs: With[] = [];
    if (inner.type !== "SomeVars") {
      while (this.isKw(this.cur, "with")) withs.push(this.parseWith());
    }
    return { type: "Expr", span: this.span(start), negated, expr: inner, with: withs };
  }

  private parseWith(): With {
    const start = this.advance().start;
    if (this.tk() !== "ident") this.fail("expected ident");
    const target = this.parseTerm();
    if (target.type !== "Var" && target.type !== "Ref") this.failAt("unexpected with target: expected with target path", target.span.start.offset);
    if (!this.isKw(this.cur, "as")) this.fail("expected as keyword");
    this.advance();
    const value = this.parseInfix(true);
    return { type: "With", span: this.span(start), target, value };
  }

  private parseSome(): SomeVars | SomeIn {
    const kw = this.advance();
    const start = kw.start;
    const saved = this.pos;
    const r = this.attempt(() => this.parseInfix(true));
    if ("value" in r) {
      const t = r.value;
      if (t.type === "Call" && t.infix === "in") {
        if (t.args.length === 3) {
          return { type: "SomeIn", span: this.span(start), key: t.args[0] as Term, value: t.args[1] as Term, collection: t.args[2] as Term };
        }
        return { type: "SomeIn", span: this.span(start), value: t.args[0] as Term, collection: t.args[1] as Term };
      }
    }
    this.pos = saved;
    const vars: VarTerm[] = [];
    for (;;) {
      const t = this.cur;
      if (t.kind !== "ident" || this.isKeyword(t)) this.fail("expected var");
      this.advance();
      vars.push(this.makeVar(t));
      if (this.tk() !== ",") break;
      this.advance();
    }
    return { type: "SomeVars", span: this.span(start), vars };
  }

  private parseEvery(): Every {
    const start = this.advance().start;
    const t = this.parseInfix(true);
    if (t.type !== "Call" || t.infix !== "in") this.failAt("unexpected term: expected `x[, y] in xs { ... }` expression", t.span.start.offset);
    let key: Term | undefined;
    let value: Term;
    let domain: Term;
    if (t.args.length === 3) {
      [key, value, domain] = t.args as [Term, Term, Term];
      if (key.type !== "Var") this.failAt("expected key to be a variable", key.span.start.offset);
    } else {
      [value, domain] = t.args as [Term, Term];
    }
    if (value.type !== "Var") this.failAt("expected value to be a variable", value.span.start.offset);
    if (this.tk() !== "{") this.fail("missing body");
    this.advance();
    const body = this.parseBody("}");
    this.advance();
    const every: Every = { type: "Every", span: this.span(start), value, domain, body };
    if (key) every.key = key as VarTerm;
    return every;
  }

  // -------------------------------------------------------------------------------------------------------
  // queries
  // -------------------------------------------------------------------------------------------------------

  parseQueryText(): { query?: Query; diagnostics: Diagnostic[] } {
    try {
      if (this.tk() === "eof") {
        this.error("empty query", 0);
        return { diagnostics: this.finishDiagnostics() };
      }
      const body = this.parseBody("eof");
      return { query: { type: "Query", span: body.span, body }, diagnostics: this.finishDiagnostics() };
    } catch (e) {
      if (!(e instanceof ParseAbort)) this.internalError(e);
      return { diagnostics: this.finishDiagnostics() };
    }
  }

  private internalError(e: unknown): void {
    const msg = e instanceof RangeError ? "max parsing recursion depth exceeded" : `internal parser error: ${String(e)}`;
    this.error(msg, this.cur.start);
  }

  private finishDiagnostics(): Diagnostic[] {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const d of this.diagnostics) {
      const key = `${d.span.start.offset}:${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    out.sort((a, b) => a.span.start.offset - b.span.start.offset);
    return out.slice(0, 100);
  }

  // -------------------------------------------------------------------------------------------------------
  // modules
  // -------------------------------------------------------------------------------------------------------

  parseModuleText(): { module?: Module; diagnostics: Diagnostic[] } {
    let pkg: Package | undefined;
    const imports: Import[] = [];
    const rules: Rule[] = [];
    const statements: Statement[] = [];
    let first = true;
    try {
      while (this.tk() !== "eof") {
        const stmtStart = this.cur.start;
        const stmtPos = this.pos;
        try {
          if (this.isKw(this.cur, "package") && !this.refAhead()) {
            const p = this.parsePackage();
            if (!first) this.errorSpan("unexpected package", p.span.start.offset, p.span.end.offset);
            else pkg = p;
            statements.push({ kind: "package", start: stmtStart });
          } else {
            if (first) this.error("package expected", stmtStart);
            if (this.isKw(this.cur, "import") && !this.refAhead()) {
              imports.push(this.parseImport());
              statements.push({ kind: "import", start: stmtStart });
            } else {
              const ruleIndex = rules.length;
              rules.push(...this.parseRules());
              statements.push({ kind: "rule", start: stmtStart, ruleIndex });
            }
          }
        } catch (e) {
          if (!(e instanceof ParseAbort)) throw e;
          this.depth = 0;
          this.recover(stmtPos);
        }
        first = false;
        if (this.diagnostics.length >= 100) break;
      }
    } catch (e) {
      this.internalError(e);
    }
    if (first) this.error("empty module", 0);
    const diagnostics = this.finishDiagnostics();
    if (!pkg) return { diagnostics };
    const comments: Comment[] = this.lexComments.map((c) => ({
      type: "Comment",
      span: this.lines.span(c.start, c.end),
      text: c.text,
    }));
    const module: Module = {
      type: "Module",
      span: this.lines.span(0, this.text.length),
      regoVersion: this.opts.regoVersion,
      v1Syntax: this.v1Syntax,
      package: pkg,
      imports,
      rules,
      comments,
      metadata: this.metadataBlocks(statements),
    };
    return { module, diagnostics };
  }

  /** Skips to the first token after `from` that starts a line at column 1. */
  private recover(from: number): void {
    let p = Math.max(from + 1, this.pos);
    while (p < this.tokens.length - 1) {
      const t = this.tokens[p] as Token;
      if (t.kind === "ident" && t.nl && this.text.charCodeAt(t.start - 1) === 10) break;
      p++;
    }
    this.pos = Math.min(p, this.tokens.length - 1);
  }

  private parsePackage(): Package {
    const start = this.advance().start;
    const t = this.cur;
    if (t.kind !== "ident") this.fail();
    const term = this.parseRefLike();
    if (term.type === "Ref") {
      if (term.head.type !== "Var") this.failAt(`unexpected ${valueName(term.head)} token: expecting var`, term.head.span.start.offset);
      for (const p of term.path) {
        if (p.type !== "String") this.failAt(`unexpected ${valueName(p)} token: expecting string`, p.span.start.offset);
      }
    } else if (term.type !== "Var") {
      this.fail();
    }
    return { type: "Package", span: this.span(start), path: term };
  }

  /** A var or ref (no calls) starting at an ident, for package/import paths (keywords allowed). */
  private parseRefLike(): VarTerm | RefTerm {
    const t = this.advance();
    const head = this.makeVar(t);
    const term = this.parseSuffixes(head, false);
    if (term.type !== "Var" && term.type !== "Ref") this.failAt("expected path", t.start);
    return term;
  }

  private parseImport(): Import {
    const start = this.advance().start;
    if (this.tk() !== "ident") this.fail();
    const path = this.parseRefLike();
    const root = path.type === "Var" ? path : path.head;
    if (path.type === "Ref") {
      for (const p of path.path) {
        if (p.type !== "String") this.failAt(`unexpected ${valueName(p)} token: expecting string`, p.span.start.offset);
      }
    }
    const rootName = root.type === "Var" ? root.name : "";
    if (!["data", "input", "future", "rego"].includes(rootName)) {
      this.failAt(
        `unexpected import path, must begin with one of: {data, future, input, rego}, got: ${rootName || valueName(root)}`,
        path.span.start.offset,
      );
    }
    const imp: Import = { type: "Import", span: this.span(start), path };
    if (this.isKw(this.cur, "as")) {
      this.advance();
      const a = this.cur;
      if (a.kind !== "ident" || this.isKeyword(a)) this.fail("expected var");
      this.advance();
      imp.alias = this.makeVar(a);
      imp.span = this.span(start);
    }
    const segs = path.type === "Var" ? [path.name] : [rootName, ...path.path.map((p) => (p.type === "String" ? p.value : ""))];
    if (rootName === "future") this.futureImport(imp, segs);
    else if (rootName === "rego") this.regoImport(imp, segs);
    else if (!imp.alias) {
      const last = segs[segs.length - 1] ?? "";
      if (this.keywords.has(last)) {
        this.errorSpan(`unexpected import path, must not end with a keyword, got: ${last}`, path.span.start.offset, path.span.end.offset);
      }
    }
    return imp;
  }

  private futureImport(imp: Import, segs: string[]): void {
    const at = imp.path.span.start.offset;
    if (segs.length < 2 || segs[1] !== "keywords") {
      this.error("invalid import, must be `future.keywords`", at);
      return;
    }
    if (imp.alias) {
      this.error("`future` imports cannot be aliased", at);
      return;
    }
    if (segs.length === 2) {
      for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
      return;
    }
    const kw = segs[2] ?? "";
    if (segs.length > 3 || !FUTURE_KEYWORDS.includes(kw)) {
      this.error(`unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(" ")}]`, at);
      return;
    }
    this.keywords.add(kw);
    if (kw === "every") this.keywords.add("in");
  }

  private regoImport(imp: Import, segs: string[]): void {
    const at = imp.path.span.start.offset;
    if (segs.length !== 2 || segs[1] !== "v1") {
      this.error(`invalid import \`${segs.join(".")}\`, must be \`rego.v1\``, at);
      return;
    }
    if (this.opts.regoVersion === "v1") return;
    if (imp.alias) {
      this.error("`rego` imports cannot be aliased", at);
      return;
    }
    this.v1Syntax = true;
    for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
  }

  /** One rule statement (several `Rule`s for v0 `p { a } { b }`). */
  private isOperator(t: Token): boolean {
    return ["+", "-", "*", "/", "%", "&", "|", "==", "!=", ">", ">=", "<", "<="].includes(t.kind) || this.isKw(t, "in");
  }

  private parseRules(): Rule[] {
    const start = this.cur.start;
    const startPos = this.pos;
    let isDefault = false;
    if (this.isKw(this.cur, "default") && !this.refAhead()) {
      this.advance();
      isDefault = true;
    }
    const t = this.cur;
    if (t.kind !== "ident" || (this.isKeyword(t) && !this.refAhead())) {
      if (isDefault) this.fail();
      return this.nonRuleStatement();
    }
    const head = this.parseHead(isDefault);
    const rule: Rule = {
      type: "Rule",
      span: this.span(start),
      kind: "complete",
      default: isDefault,
      head,
      body: { type: "Body", span: head.span, exprs: [] },
      bodyImplied: true,
      if: false,
    };
    if (!isDefault && ((!head.value && !head.contains && this.isOperator(this.cur)) || this.isKw(this.cur, "with"))) {
      // `x > 1` or `p := x with ...` at module level: OPA reads it as an expression statement.
      this.pos = startPos;
      return this.nonRuleStatement();
    }

    if (isDefault) {
      if (!head.value || head.valueImplied) this.failAt("illegal default rule (must have a value)", start);
      this.checkDefaultValue(head.value, start);
      if (head.args) this.checkDefaultArgs(head.args, start);
      rule.kind = this.classify(head);
      rule.span = this.span(start);
      return [rule];
    }

    const hasIf = this.isKw(this.cur, "if") && !this.refAhead();
    const pathLen = head.ref.type === "Ref" ? head.ref.path.length : 0;
    if (!head.contains && !head.args && pathLen === 1 && head.ref.type === "Ref") {
      const sel = head.ref.path[0] as Term;
      if (!hasIf && !head.value) {
        // v0 `p[x] { ... }` or bodyless `p[x]`: a partial set with key x.
        head.key = sel;
        head.ref = head.ref.head as VarTerm;
      }
      if (hasIf && !head.value) {
        head.value = { type: "Boolean", span: head.span, value: true };
        head.valueImplied = true;
      }
    }

    let bracesWithoutIf = false;
    if (hasIf) {
      this.advance();
      rule.if = true;
      rule.body = this.parseIfBody();
      rule.bodyImplied = false;
    } else if (this.tk() === "{") {
      this.advance();
      rule.body = this.parseBody("}");
      this.advance();
      rule.bodyImplied = false;
      bracesWithoutIf = true;
    } else if (head.contains) {
      // `p contains x` without a body
    } else if (!head.value && !head.key) {
      // A bare name: OPA reads the statement as a body expression, which cannot define a rule.
      if (head.args) {
        if (head.args.length === 0) this.failAt("rule argument list must take at least one argument", start);
        head.value = { type: "Boolean", span: head.span, value: true };
        head.valueImplied = true;
      } else if (head.ref.type === "Ref" && head.ref.path.length > 1) {
        head.value = { type: "Boolean", span: head.span, value: true };
        head.valueImplied = true;
      } else {
        this.failAt(`${valueName(head.ref)} cannot be used for rule name`, start);
      }
    }
    if (!head.value && !head.key && !head.contains) {
      head.value = { type: "Boolean", span: head.span, value: true };
      head.valueImplied = true;
    }
    rule.kind = this.classify(head);

    if (this.v1Syntax && bracesWithoutIf) {
      this.error(`\`if\` keyword is required before ${head.args ? "function" : "rule"} body`, start);
    }
    if (this.v1Syntax && rule.kind === "partial-set" && !head.contains) {
      this.error("`contains` keyword is required for partial set rules", start);
    }

    if (!rule.bodyImplied && this.isKw(this.cur, "else") && !this.refAhead()) {
      if (head.ref.type === "Ref" && !head.ref.path.every(isGroundTerm)) {
        this.failAt("else keyword cannot be used on rules with variables in head", this.cur.start);
      }
      if (head.key) this.failAt("else keyword cannot be used on multi-value rules", this.cur.start);
      rule.else = this.parseElse();
    }
    rule.span = this.span(start);

    const rules = [rule];
    if (!rule.bodyImplied) {
      while (this.tk() === "{") {
        if (rule.else) this.fail("expected else keyword");
        const bstart = this.advance().start;
        const body = this.parseBody("}");
        this.advance();
        rules.push({
          type: "Rule",
          span: this.span(bstart),
          kind: rule.kind,
          default: false,
          // Each clause gets its own copy of the head, so later passes may rewrite one safely.
          head: structuredClone(head),
          body,
          bodyImplied: false,
          if: rule.if,
        });
      }
    }
    return rules;
  }

  /** After `if`: a braced body, or a single literal (`p if x > 1`). */
  private parseIfBody(): Body {
    if (this.tk() === "{") {
      if (this.bracesMayBeLiteral()) {
        const saved = this.pos;
        const r = this.attempt(() => this.parseLiteral());
        if ("value" in r && r.value.expr.type !== "Set" && (this.cur.nl || this.tk() === "eof" || this.isKw(this.cur, "else"))) {
          return { type: "Body", span: r.value.span, exprs: [r.value] };
        }
        this.pos = saved;
      }
      this.advance();
      const body = this.parseBody("}");
      this.advance();
      return body;
    }
    if (this.tk() === "eof") this.fail("rule body expected");
    const lit = this.parseLiteral();
    return { type: "Body", span: lit.span, exprs: [lit] };
  }

  /**
   * After `if`, OPA first tries to read `{ ... }` as a single literal and falls back to a braced body when
   * that fails or yields a set. Only an empty `{}`, an object or comprehension (top-level `:` or `|`), or
   * braces followed by a ref/call suffix or an operator can produce a non-set literal; everything else is a
   * body, so the (costly) attempt is skipped for it.
   */
  private bracesMayBeLiteral(): boolean {
    let depth = 0;
    for (let p = this.pos; p < this.tokens.length; p++) {
      const t = this.tokens[p] as Token;
      switch (t.kind) {
        case "{":
        case "[":
        case "(":
          depth++;
          break;
        case "}":
        case "]":
        case ")":
          depth--;
          if (depth === 0) {
            if (p === this.pos + 1) return true;
            const after = this.tokens[p + 1] as Token | undefined;
            if (!after || after.kind === "eof" || after.nl) return false;
            return true;
          }
          break;
        case ":":
        case "|":
          if (depth === 1) return true;
          break;
        case "eof":
          return false;
        default:
          break;
      }
    }
    return false;
  }

  private parseElse(): ElseClause {
    const start = this.advance().start;
    const clause: ElseClause = { type: "Else", span: this.span(start), assign: false, body: { type: "Body", span: this.span(start), exprs: [] } };
    if (this.tk() === "=" || this.tk() === ":=") {
      clause.assign = this.advance().kind === ":=";
      clause.value = this.parseInfix(true);
    } else if (this.tk() !== "{" && !this.isKw(this.cur, "if")) {
      this.fail("expected else value term or rule body");
    }
    const hasIf = this.isKw(this.cur, "if") && !this.refAhead();
    if (hasIf) this.advance();
    if (this.tk() === "{") {
      if (this.v1Syntax && !hasIf) this.error("`if` keyword is required before rule body", start);
      this.advance();
      clause.body = this.parseBody("}");
      this.advance();
    } else if (hasIf) {
      if (this.tk() === "eof") this.fail("rule body expected");
      const lit = this.parseLiteral();
      clause.body = { type: "Body", span: lit.span, exprs: [lit] };
    }
    if (this.isKw(this.cur, "else") && !this.refAhead()) clause.else = this.parseElse();
    clause.span = this.span(start);
    return clause;
  }

  private parseHead(isDefault: boolean): RuleHead {
    const start = this.cur.start;
    const nameTok = this.advance();
    const term = this.parseSuffixes(this.makeVar(nameTok), true);
    const head: RuleHead = { type: "RuleHead", span: this.span(start), ref: this.makeVar(nameTok), assign: false };
    if (term.type === "Var" || term.type === "Ref") {
      if (term.type === "Ref" && term.head.type !== "Var") this.failAt("expected rule head name", start);
      head.ref = term;
    } else if (term.type === "Call") {
      head.ref = term.operator;
      head.args = term.args;
    } else {
      this.failAt("expected rule head name", start);
    }
    const name = this.headName(head);
    if (this.isKw(this.cur, "contains") && !this.refAhead()) {
      if (head.args) {
        this.fail(`the contains keyword can only be used with multi-value rule definitions (e.g., ${name} contains <VALUE> { ... })`);
      }
      this.advance();
      head.contains = true;
      head.key = this.valueTerm(`expected rule key term (e.g., ${name} contains <VALUE> { ... })`);
    } else if (this.tk() === "=" || this.tk() === ":=") {
      const assign = this.advance().kind === ":=";
      head.assign = assign;
      let note: string;
      if (!assign) note = `expected rule value term (e.g., ${name} = <VALUE> { ... })`;
      else if (head.args) note = `expected function value term (e.g., ${name}(...) := <VALUE> { ... })`;
      else if (isDefault) note = `expected default rule value term (e.g., default ${name} := <VALUE>)`;
      else note = `expected rule value term (e.g., ${name} := <VALUE> { ... })`;
      head.value = this.valueTerm(note);
    }
    head.span = this.span(start);
    return head;
  }

  /** Parses a head value/key; a failure on its very first token gets OPA's "expected rule value" note. */
  private valueTerm(note: string): Term {
    const at = this.pos;
    const t = this.cur;
    const diags = this.diagnostics.length;
    try {
      return this.parseInfix(true);
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      const added = this.diagnostics.slice(diags);
      const generic = added.length === 1 && /^unexpected \S+ (token|keyword)$/.test(added[0]?.message ?? "");
      if (e.pos === at && t.kind !== "illegal" && generic) {
        this.diagnostics.length = diags;
        this.fail(note, t);
      }
      throw e;
    }
  }

  private headName(head: RuleHead): string {
    const r = head.ref;
    if (r.type === "Var") return r.name;
    let s = r.head.type === "Var" ? r.head.name : "?";
    for (const p of r.path) s += p.type === "String" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : "[...]";
    return s;
  }

  private classify(head: RuleHead): RuleKind {
    return classifyRuleHead(head);
  }

  private checkDefaultValue(value: Term | undefined, at: number): void {
    if (!value) return;
    const visit = (t: Term): void => {
      switch (t.type) {
        case "Var":
        case "Ref":
        case "Call":
          this.failAt(`illegal default rule (value cannot contain ${t.type.toLowerCase()})`, at);
          break;
        case "Array":
        case "Set":
          t.items.forEach(visit);
          break;
        case "Object":
          t.entries.forEach((e) => {
            visit(e.key);
            visit(e.value);
          });
          break;
        case "TemplateString":
          this.failAt("illegal default rule (value cannot contain templatestring)", at);
          break;
        default:
          break;
      }
    };
    visit(value);
  }

  private checkDefaultArgs(args: Term[], at: number): void {
    const seen = new Set<string>();
    for (const a of args) {
      if (a.type !== "Var") this.failAt(`illegal default rule (arguments cannot contain ${valueName(a)})`, at);
      if (a.name !== "_" && seen.has(a.name)) this.failAt(`illegal default rule (arguments cannot be repeated ${a.name})`, at);
      seen.add(a.name);
    }
  }

  /** A statement that cannot start a rule: parse it as an expression to report OPA's message. */
  private nonRuleStatement(): never {
    const start = this.cur.start;
    const lit = this.parseLiteral();
    if (lit.negated) this.failAt("negated expressions cannot be used for rule head", start);
    if (lit.with.length > 0) this.failAt("expressions using with keyword cannot be used for rule head", start);
    const e = lit.expr;
    if (e.type === "SomeIn" || e.type === "SomeVars") this.failAt("'some' declarations cannot be used for rule head", start);
    if (e.type === "Every") this.failAt("expression cannot be used for rule head", start);
    if (e.type === "Call" && (e.infix === "=" || e.infix === ":=")) {
      const lhs = e.args[0] as Term;
      this.failAt(`${valueName(lhs)} cannot be used for rule name`, start);
    }
    if (e.type === "Call") this.failAt("rule name conflicts with built-in function", start);
    this.failAt(`${valueName(e)} cannot be used for rule name`, start);
  }

  private metadataBlocks(statements: Statement[]): MetadataBlock[] {
    const blocks: MetadataBlock[] = [];
    const cs = this.lexComments;
    let next = 0;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i] as LexComment;
      if (!c.text.trim().startsWith("METADATA")) continue;
      const startPos = this.lines.position(c.start);
      let line = startPos.line;
      let end = c.end;
      const yamlLines: string[] = [];
      const lineStarts: number[] = [];
      const lineColumns: number[] = [];
      let j = i + 1;
      for (; j < cs.length; j++) {
        const d = cs[j] as LexComment;
        const p = this.lines.position(d.start);
        if (p.line !== line + 1 || p.column !== 1) break;
        const text = d.text.startsWith(" ") ? d.text.slice(1) : d.text;
        lineStarts.push(d.start + 1 + (d.text.startsWith(" ") ? 1 : 0));
        lineColumns.push(d.text.startsWith(" ") ? 3 : 2);
        yamlLines.push(text);
        line = p.line;
        end = d.end;
      }
      i = j - 1;
      while (next < statements.length && (statements[next] as Statement).start < end) next++;
      const stmt = statements[next];
      let attachedTo: MetadataBlock["attachedTo"] = { kind: "none" };
      if (stmt?.kind === "package") attachedTo = { kind: "package" };
      else if (stmt?.kind === "rule" && stmt.ruleIndex !== undefined) attachedTo = { kind: "rule", index: stmt.ruleIndex };
      blocks.push({
        type: "MetadataBlock",
        span: this.lines.span(c.start, end),
        yaml: yamlLines.map((l) => `${l}\n`).join(""),
        lineStarts,
        lineColumns,
        attachedTo,
      });
    }
    return blocks;
  }
}
