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

const enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  D0 = 48,
  D9 = 57,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  UA = 65,
  UZ = 90,
  LBrack = 91,
  Backslash = 92,
  RBrack = 93,
  Underscore = 95,
  Backtick = 96,
  LA = 97,
  LE = 101,
  LZ = 122,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  BOM = 0xfeff,
}

function isLetter(c: number): boolean {
  return (c >= Ch.LA && c <= Ch.LZ) || (c >= Ch.UA && c <= Ch.UZ) || c === Ch.Underscore;
}

function isDigit(c: number): boolean {
  return c >= Ch.D0 && c <= Ch.D9;
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
    if (c !== Ch.Backslash) {
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
  if (n > 0 && text.charCodeAt(0) === Ch.BOM) i = 1;

  const push = (kind: TokenKind, start: number, end: number, value: string, extra?: Partial<Token>): Token => {
    const t: Token = { kind, value, start, end, nl, ws };
    if (extra) Object.assign(t, extra);
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
      if (!raw && c === Ch.LF) {
        error = "non-terminated string";
        last = true;
        break;
      }
      if (c === (raw ? Ch.Backtick : Ch.DQuote)) {
        body += text.slice(segStart, j);
        j++;
        last = true;
        break;
      }
      if (c === Ch.LBrace) {
        body += text.slice(segStart, j);
        j++;
        break;
      }
      if (c === Ch.Backslash) {
        if (raw) {
          if (text.charCodeAt(j + 1) === Ch.LBrace) {
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
    if (c === Ch.Space || c === Ch.Tab || c === Ch.CR) {
      ws = true;
      i++;
      continue;
    }
    if (c === Ch.LF) {
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
      if (text.charCodeAt(i) === Ch.Dot) {
        i++;
        const fs = i;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        if (i === fs) error = "expected fraction";
      }
      if ((text.charCodeAt(i) | 0x20) === Ch.LE) {
        i++;
        const sc = text.charCodeAt(i);
        if (sc === Ch.Plus || sc === Ch.Minus) i++;
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
      case Ch.Hash: {
        let e = text.indexOf("\n", i);
        if (e === -1) e = n;
        let te = e;
        if (te > i && text.charCodeAt(te - 1) === Ch.CR) te--;
        comments.push({ start, end: te, text: text.slice(i, te) });
        i = e;
        ws = true;
        continue;
      }
      case Ch.DQuote: {
        let j = i;
        let error: string | undefined;
        for (;;) {
          if (j >= n || text.charCodeAt(j) === Ch.LF) {
            error = "non-terminated string";
            break;
          }
          const d = text.charCodeAt(j);
          if (d === Ch.DQuote) break;
          j += d === Ch.Backslash ? 2 : 1;
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
      case Ch.Backtick: {
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
      case Ch.Dollar: {
        const d = text.charCodeAt(i);
        if (d === Ch.DQuote || d === Ch.Backtick) {
          scanTemplatePart(start, i + 1, d === Ch.Backtick, true);
        } else {
          fail(start, "illegal $ character");
          push("illegal", start, i, "$", { error: "illegal $ character" });
        }
        continue;
      }
      case Ch.LBrack:
        push("[", start, i, "[");
        continue;
      case Ch.RBrack:
        push("]", start, i, "]");
        continue;
      case Ch.LBrace: {
        const top = templates[templates.length - 1];
        if (top) top.depth++;
        push("{", start, i, "{");
        continue;
      }
      case Ch.RBrace: {
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
      case Ch.LParen:
        push("(", start, i, "(");
        continue;
      case Ch.RParen:
        push(")", start, i, ")");
        continue;
      case Ch.Comma:
        push(",", start, i, ",");
        continue;
      case Ch.Colon:
        if (text.charCodeAt(i) === Ch.Eq) {
          i++;
          push(":=", start, i, ":=");
        } else push(":", start, i, ":");
        continue;
      case Ch.Plus:
        push("+", start, i, "+");
        continue;
      case Ch.Minus:
        push("-", start, i, "-");
        continue;
      case Ch.Star:
        push("*", start, i, "*");
        continue;
      case Ch.Slash:
        push("/", start, i, "/");
        continue;
      case Ch.Percent:
        push("%", start, i, "%");
        continue;
      case Ch.Amp:
        push("&", start, i, "&");
        continue;
      case Ch.Pipe:
        push("|", start, i, "|");
        continue;
      case Ch.Semi:
        push(";", start, i, ";");
        continue;
      case Ch.Dot:
        push(".", start, i, ".");
        continue;
      case Ch.Eq:
        if (text.charCodeAt(i) === Ch.Eq) {
          i++;
          push("==", start, i, "==");
        } else push("=", start, i, "=");
        continue;
      case Ch.Lt:
        if (text.charCodeAt(i) === Ch.Eq) {
          i++;
          push("<=", start, i, "<=");
        } else push("<", start, i, "<");
        continue;
      case Ch.Gt:
        if (text.charCodeAt(i) === Ch.Eq) {
          i++;
          push(">=", start, i, ">=");
        } else push(">", start, i, ">");
        continue;
      case Ch.Bang:
        if (text.charCodeAt(i) === Ch.Eq) {
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
        const message = c === 0 ? "illegal null character" : c === Ch.BOM ? "illegal byte-order mark" : `illegal character ${JSON.stringify(ch)}`;
        fail(start, message);
        push("illegal", start, i, ch, { error: message });
        continue;
      }
    }
  }
  push("eof", n, n, "");
  return { tokens, comments, errors };
}
