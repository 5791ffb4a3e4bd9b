/**
 * The Rego lexer: turns source text into tokens in one pass. It never throws; malformed input becomes
 * `illegal` tokens (or tokens with an `error`) plus entries in `errors`.
 *
 * Template strings (`$"a {x} b"`) are lexed into `template` parts; the expression tokens between the
 * parts are ordinary tokens. The `}` that closes an embedded expression is not emitted: the part that
 * follows it starts there.
 */
import type { LexComment, Token, TokenKind } from "./token.js";

export interface LexError {
  offset: number;
  message: string;
}

export interface TokenizeResult {
  tokens: Token[];
  comments: LexComment[];
  errors: LexError[];
}

/** Character codes (plain constants: `const enum` is not inlined under isolated-module transpilers). */
const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_DOLLAR = 36;
const CH_PERCENT = 37;
const CH_AMP = 38;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_D0 = 48;
const CH_D9 = 57;
const CH_COLON = 58;
const CH_SEMI = 59;
const CH_LT = 60;
const CH_EQ = 61;
const CH_GT = 62;
const CH_UA = 65;
const CH_UZ = 90;
const CH_LBRACK = 91;
const CH_BACKSLASH = 92;
const CH_RBRACK = 93;
const CH_UNDERSCORE = 95;
const CH_BACKTICK = 96;
const CH_LA = 97;
const CH_LE = 101;
const CH_LZ = 122;
const CH_LBRACE = 123;
const CH_PIPE = 124;
const CH_RBRACE = 125;
const CH_BOM = 0xfeff;

function isLetter(c: number): boolean {
  return (c >= CH_LA && c <= CH_LZ) || (c >= CH_UA && c <= CH_UZ) || c === CH_UNDERSCORE;
}

function isDigit(c: number): boolean {
  return c >= CH_D0 && c <= CH_D9;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

interface TemplateFrame {
  raw: boolean;
  depth: number;
}

/** Decodes the escapes of a double-quoted string body (without quotes). Returns an error text on failure. */
export function decodeEscapes(body: string, allowBraceEscape: boolean): { value: string } | { error: string } {
  if (body.indexOf("\\") === -1) {
    for (let i = 0; i < body.length; i++) {
      if (body.charCodeAt(i) < 0x20) return { error: "illegal control character in string" };
    }
    return { value: body };
  }
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c < 0x20) return { error: "illegal control character in string" };
    if (c !== CH_BACKSLASH) {
      out += body[i];
      continue;
    }
    const e = body[i + 1];
    i++;
    switch (e) {
      case '"':
        out += '"';
        break;
      case "\\":
        out += "\\";
        break;
      case "/":
        out += "/";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "{":
        if (!allowBraceEscape) return { error: "illegal escape sequence" };
        out += "{";
        break;
      case "u": {
        const hex = body.slice(i + 1, i + 5);
        if (hex.length !== 4 || ![0, 1, 2, 3].every((k) => isHex(hex.charCodeAt(k)))) {
          return { error: "illegal escape sequence" };
        }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        return { error: "illegal escape sequence" };
    }
  }
  return { value: out };
}

/** Tokenizes Rego source text. The last token is always `eof`. */
export function tokenize(text: string): TokenizeResult {
  const tokens: Token[] = [];
  const comments: LexComment[] = [];
  const errors: LexError[] = [];
  const templates: TemplateFrame[] = [];
  const n = text.length;
  let i = 0;
  let nl = false;
  let ws = false;
  if (n > 0 && text.charCodeAt(0) === CH_BOM) i = 1;

  const push = (kind: TokenKind, start: number, end: number, value: string, extra?: Partial<Token>): Token => {
    // Every token gets the same fields in the same order (one hidden class keeps the parser fast).
    const t: Token = {
      kind,
      value,
      start,
      end,
      nl,
      ws,
      raw: extra?.raw,
      last: extra?.last,
      first: extra?.first,
      error: extra?.error,
    };
    tokens.push(t);
    nl = false;
    ws = false;
    return t;
  };
  const fail = (offset: number, message: string): void => {
    errors.push({ offset, message });
  };

  /** Scans a template part starting at `from` (just after `$"`/`$\`` or after the closing `}`). */
  const scanTemplatePart = (start: number, from: number, raw: boolean, first: boolean): void => {
    let j = from;
    let body = "";
    let segStart = j;
    let last = false;
    let error: string | undefined;
    for (;;) {
      if (j >= n) {
        error = "non-terminated string";
        last = true;
        break;
      }
      const c = text.charCodeAt(j);
      if (!raw && c === CH_LF) {
        error = "non-terminated string";
        last = true;
        break;
      }
      if (c === (raw ? CH_BACKTICK : CH_DQUOTE)) {
        body += text.slice(segStart, j);
        j++;
        last = true;
        break;
      }
      if (c === CH_LBRACE) {
        body += text.slice(segStart, j);
        j++;
        break;
      }
      if (c === CH_BACKSLASH) {
        if (raw) {
          if (text.charCodeAt(j + 1) === CH_LBRACE) {
            body += text.slice(segStart, j) + "{";
            j += 2;
            segStart = j;
            continue;
          }
        } else {
          j += 2;
          continue;
        }
      }
      j++;
    }
    if (error !== undefined) body += text.slice(segStart, Math.min(j, n));
    let value = body;
    if (!raw && error === undefined) {
      const d = decodeEscapes(body, true);
      if ("error" in d) error = d.error;
      else value = d.value;
    }
    if (error !== undefined) {
      fail(start, error);
      push("illegal", start, j, text.slice(start, j), { error });
    } else {
      push("template", start, j, value, { raw, last, first });
      if (!last) templates.push({ raw, depth: 0 });
    }
    i = j;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
      ws = true;
      i++;
      continue;
    }
    if (c === CH_LF) {
      ws = true;
      nl = true;
      i++;
      continue;
    }
    const start = i;
    if (isLetter(c)) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isLetter(d) || isDigit(d)) i++;
        else break;
      }
      push("ident", start, i, text.slice(start, i));
      continue;
    }
    if (isDigit(c)) {
      let error: string | undefined;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === CH_DOT) {
        i++;
        const fs = i;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        if (i === fs) error = "expected fraction";
      }
      if ((text.charCodeAt(i) | 0x20) === CH_LE) {
        i++;
        const sc = text.charCodeAt(i);
        if (sc === CH_PLUS || sc === CH_MINUS) i++;
        const es = i;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        if (i === es) error ??= "expected exponent";
      }
      if (i < n && isLetter(text.charCodeAt(i))) {
        error ??= "illegal number format";
        while (i < n && (isLetter(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
      }
      if (error !== undefined) {
        fail(start, error);
        push("illegal", start, i, text.slice(start, i), { error });
      } else {
        push("number", start, i, text.slice(start, i));
      }
      continue;
    }
    i++;
    switch (c) {
      case CH_HASH: {
        let e = text.indexOf("\n", i);
        if (e === -1) e = n;
        let te = e;
        if (te > i && text.charCodeAt(te - 1) === CH_CR) te--;
        comments.push({ start, end: te, text: text.slice(i, te) });
        i = e;
        ws = true;
        continue;
      }
      case CH_DQUOTE: {
        let j = i;
        let error: string | undefined;
        for (;;) {
          if (j >= n || text.charCodeAt(j) === CH_LF) {
            error = "non-terminated string";
            break;
          }
          const d = text.charCodeAt(j);
          if (d === CH_DQUOTE) break;
          j += d === CH_BACKSLASH ? 2 : 1;
        }
        if (error !== undefined) {
          fail(start, error);
          push("illegal", start, j, text.slice(start, j), { error });
          i = j;
          continue;
        }
        const dec = decodeEscapes(text.slice(i, j), false);
        i = j + 1;
        if ("error" in dec) {
          fail(start, dec.error);
          push("illegal", start, i, text.slice(start, i), { error: dec.error });
        } else {
          push("string", start, i, dec.value);
        }
        continue;
      }
      case CH_BACKTICK: {
        const j = text.indexOf("`", i);
        if (j === -1) {
          fail(start, "non-terminated string");
          push("illegal", start, n, text.slice(start), { error: "non-terminated string" });
          i = n;
        } else {
          push("string", start, j + 1, text.slice(i, j), { raw: true });
          i = j + 1;
        }
        continue;
      }
      case CH_DOLLAR: {
        const d = text.charCodeAt(i);
        if (d === CH_DQUOTE || d === CH_BACKTICK) {
          scanTemplatePart(start, i + 1, d === CH_BACKTICK, true);
        } else {
          fail(start, "illegal $ character");
          push("illegal", start, i, "$", { error: "illegal $ character" });
        }
        continue;
      }
      case CH_LBRACK:
        push("[", start, i, "[");
        continue;
      case CH_RBRACK:
        push("]", start, i, "]");
        continue;
      case CH_LBRACE: {
        const top = templates[templates.length - 1];
        if (top) top.depth++;
        push("{", start, i, "{");
        continue;
      }
      case CH_RBRACE: {
        const top = templates[templates.length - 1];
        if (top && top.depth === 0) {
          templates.pop();
          scanTemplatePart(start, i, top.raw, false);
          continue;
        }
        if (top) top.depth--;
        push("}", start, i, "}");
        continue;
      }
      case CH_LPAREN:
        push("(", start, i, "(");
        continue;
      case CH_RPAREN:
        push(")", start, i, ")");
        continue;
      case CH_COMMA:
        push(",", start, i, ",");
        continue;
      case CH_COLON:
        if (text.charCodeAt(i) === CH_EQ) {
          i++;
          push(":=", start, i, ":=");
        } else push(":", start, i, ":");
        continue;
      case CH_PLUS:
        push("+", start, i, "+");
        continue;
      case CH_MINUS:
        push("-", start, i, "-");
        continue;
      case CH_STAR:
        push("*", start, i, "*");
        continue;
      case CH_SLASH:
        push("/", start, i, "/");
        continue;
      case CH_PERCENT:
        push("%", start, i, "%");
        continue;
      case CH_AMP:
        push("&", start, i, "&");
        continue;
      case CH_PIPE:
        push("|", start, i, "|");
        continue;
      case CH_SEMI:
        push(";", start, i, ";");
        continue;
      case CH_DOT:
        push(".", start, i, ".");
        continue;
      case CH_EQ:
        if (text.charCodeAt(i) === CH_EQ) {
          i++;
          push("==", start, i, "==");
        } else push("=", start, i, "=");
        continue;
      case CH_LT:
        if (text.charCodeAt(i) === CH_EQ) {
          i++;
          push("<=", start, i, "<=");
        } else push("<", start, i, "<");
        continue;
      case CH_GT:
        if (text.charCodeAt(i) === CH_EQ) {
          i++;
          push(">=", start, i, ">=");
        } else push(">", start, i, ">");
        continue;
      case CH_BANG:
        if (text.charCodeAt(i) === CH_EQ) {
          i++;
          push("!=", start, i, "!=");
        } else {
          fail(start, "illegal ! character");
          push("illegal", start, i, "!", { error: "illegal ! character" });
        }
        continue;
      default: {
        // Consume a whole surrogate pair so the illegal token is one character.
        if (c >= 0xd800 && c <= 0xdbff && i < n) i++;
        const ch = text.slice(start, i);
        const message = c === 0 ? "illegal null character" : c === CH_BOM ? "illegal byte-order mark" : `illegal character ${JSON.stringify(ch)}`;
        fail(start, message);
        push("illegal", start, i, ch, { error: message });
        continue;
      }
    }
  }
  push("eof", n, n, "");
  return { tokens, comments, errors };
}
