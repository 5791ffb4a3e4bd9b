/**
 * Kubernetes label selectors in their text form (apimachinery's `labels.Parse`), used by Kustomize's
 * `labelSelector` and `annotationSelector`:
 *
 *   parseLabelSelector(text): LabelRequirement[]              error `render_selector_invalid` naming the position
 *   matchesLabelSelector(requirements, labels): boolean        every requirement holds ("" selects everything)
 *
 * Syntax: requirements separated by `,`: `key`, `!key`, `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1` (integers). Keys are qualified names (`prefix/name`), values
 * label values (at most 63 characters, alphanumeric at both ends, `-_.` inside, or empty).
 */
import { RenderError } from "../render-error.js";

export type LabelOperator = "exists" | "!" | "=" | "!=" | "in" | "notin" | ">" | "<";

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Token = { kind: "id" | "op" | "," | "(" | ")"; text: string; at: number };

function tokenize(text: string, fail: (msg: string, at: number) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "," || ch === "(" || ch === ")") {
      tokens.push({ kind: ch, text: ch, at: i });
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      tokens.push({ kind: "op", text: two, at: i });
      i += 2;
      continue;
    }
    if (ch === "=" || ch === "!" || ch === "<" || ch === ">") {
      tokens.push({ kind: "op", text: ch, at: i });
      i++;
      continue;
    }
    const m = /^[^\s,()=!<>]+/.exec(text.slice(i));
    if (!m) fail(`unexpected character '${ch}'`, i);
    tokens.push({ kind: "id", text: m[0], at: i });
    i += m[0].length;
  }
  return tokens;
}

export function parseLabelSelector(text: string): LabelRequirement[] {
  const fail = (msg: string, at: number): never => {
    throw new RenderError("render_selector_invalid", `invalid selector "${text}" at character ${at + 1}: ${msg}`);
  };
  const tokens = tokenize(text, fail);
  const requirements: LabelRequirement[] = [];
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (what: string): Token => tokens[pos++] ?? fail(`expected ${what}`, text.length);
  while (pos < tokens.length) {
    let negated = false;
    if (peek()?.text === "!") {
      negated = true;
      pos++;
    }
    const keyToken = next("a key");
    if (keyToken.kind !== "id") fail(`expected a key, found '${keyToken.text}'`, keyToken.at);
    checkKey(keyToken.text, (m) => fail(m, keyToken.at));
    const t = peek();
    if (negated || t === undefined || t.kind === ",") {
      requirements.push({ key: keyToken.text, operator: negated ? "!" : "exists", values: [] });
    } else {
      requirements.push(parseOperation(keyToken.text, next, peek, fail));
    }
    const sep = peek();
    if (sep === undefined) break;
    if (sep.kind !== ",") fail(`expected ',' , found '${sep.text}'`, sep.at);
    pos++;
    if (peek() === undefined) fail("expected a requirement after ','", text.length);
  }
  return requirements;
}

function parseOperation(
  key: string,
  next: (what: string) => Token,
  peek: () => Token | undefined,
  fail: (msg: string, at: number) => never,
): LabelRequirement {
  const opToken = next("an operator");
  const word = opToken.kind === "id" ? opToken.text : opToken.kind === "op" ? opToken.text : "";
  if (word === "in" || word === "notin") {
    const open = next("'('");
    if (open.kind !== "(") fail(`expected '(' after ${word}, found '${open.text}'`, open.at);
    const values: string[] = [];
    for (;;) {
      let t = next("a value or ')'");
      let value = "";
      if (t.kind === "id") {
        value = t.text;
        t = next("',' or ')'");
      }
      checkValue(value, (m) => fail(m, t.at));
      values.push(value);
      if (t.kind === ")") break;
      if (t.kind !== ",") fail(`expected ',' or ')', found '${t.text}'`, t.at);
    }
    return { key, operator: word, values };
  }
  if (word === "=" || word === "==" || word === "!=") {
    const t = peek();
    const value = t?.kind === "id" ? next("a value").text : "";
    checkValue(value, (m) => fail(m, opToken.at));
    return { key, operator: word === "!=" ? "!=" : "=", values: [value] };
  }
  if (word === ">" || word === "<") {
    const t = next("an integer");
    if (t.kind !== "id" || !/^-?\d+$/.test(t.text)) fail(`expected an integer after '${word}'`, t.at);
    return { key, operator: word, values: [t.text] };
  }
  return fail(`expected an operator (=, ==, !=, in, notin, <, >), found '${opToken.text}'`, opToken.at);
}

function checkKey(key: string, fail: (msg: string) => never): void {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (name.length > 63 || !NAME.test(name)) fail(`invalid label key "${key}"`);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) fail(`invalid label key prefix "${prefix}"`);
}

function checkValue(value: string, fail: (msg: string) => never): void {
  if (value !== "" && (value.length > 63 || !NAME.test(value))) fail(`invalid label value "${value}"`);
}

export function matchesLabelSelector(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, unknown>>): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const value = has ? String(labels[r.key]) : undefined;
    switch (r.operator) {
      case "exists":
        return has;
      case "!":
        return !has;
      case "=":
      case "in":
        return value !== undefined && r.values.includes(value);
      case "!=":
      case "notin":
        return value === undefined || !r.values.includes(value);
      case ">":
      case "<": {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const a = BigInt(value);
        const b = BigInt(r.values[0] ?? "0");
        return r.operator === ">" ? a > b : a < b;
      }
    }
  });
}
