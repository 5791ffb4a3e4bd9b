/** Tokens produced by the Rego lexer (`tokenize`). */

/** Token kinds. Words (identifiers and keywords alike) are `ident`; the parser decides what is a keyword. */
export type TokenKind =
  | "ident"
  | "number"
  | "string"
  | "template"
  | "eof"
  | "illegal"
  | "["
  | "]"
  | "{"
  | "}"
  | "("
  | ")"
  | ","
  | ":"
  | ":="
  | "="
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "&"
  | "|"
  | ";"
  | ".";

export interface Token {
  kind: TokenKind;
  /**
   * The token text. For `string` and `template` tokens this is the decoded value (escapes resolved);
   * for `illegal` tokens the offending text; otherwise the source text.
   */
  value: string;
  /** UTF-16 offset of the first character. */
  start: number;
  /** UTF-16 offset just past the last character. */
  end: number;
  /** A newline was skipped between the previous token and this one. */
  nl: boolean;
  /** Whitespace (or a comment) was skipped between the previous token and this one. */
  ws: boolean;
  /** `string`: back-quoted. `template`: `$\`` form. */
  raw?: boolean;
  /** `template` only: this part ends the template string (no `{expr}` follows). */
  last?: boolean;
  /** `template` only: this part starts a template string (`$"`), rather than continuing after `}`. */
  first?: boolean;
  /** Why the token is malformed (for `illegal`, or a string/number with a bad escape/format). */
  error?: string;
}

/** A comment found while lexing: `text` excludes the leading `#`. */
export interface LexComment {
  start: number;
  end: number;
  text: string;
}
