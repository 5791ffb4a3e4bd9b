/**
 * A `.json` manifest read once by `JSON.parse`, where it used to be parsed by `JSON.parse` (for strictness) and then
 * again by js-yaml's JSON mode (for the value and its start line): for a text `JSON.parse` accepts, both give the
 * same value (test/policy/manifests/json-document.test.ts compares them), and the document starts at the first
 * character after the leading whitespace. Field positions are still built by js-yaml, only for files with a finding.
 */
import type { PlainYamlResult } from "./plain-yaml.js";

/** The value of a strict JSON text, or the parser's message and the offset it names (0 when it names none). */
export function parseJsonText(text: string): { value: unknown } | { message: string; offset: number } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const m = /at position (\d+)/.exec(message);
    return { message, offset: m ? Math.min(Number(m[1]), text.length) : 0 };
  }
}

/**
 * Whether js-yaml must read `value`'s text after all: arrays and objects nested deeper than `max` levels (the top one
 * counts 1: its depth limit has its say), or a number out of range (`1e400`: JSON.parse gives Infinity, js-yaml's
 * core schema leaves the text a string).
 */
function leftToJsYaml(value: unknown, max: number): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (value === null || typeof value !== "object") return false;
  if (max === 0) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (leftToJsYaml(v, max - 1)) return true;
  return false;
}

/**
 * The one document of a parsed JSON text with its start line (line breaks as the loader counts them: LF, CRLF, lone
 * CR), or undefined when js-yaml must read it (see `leftToJsYaml`).
 */
export function jsonDocument(text: string, value: unknown, maxDepth: number): PlainYamlResult | undefined {
  if (leftToJsYaml(value, maxDepth)) return undefined;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
    else if (c !== 32 && c !== 9 && c !== 13) break;
  }
  return { values: [value], startLines: [line] };
}
