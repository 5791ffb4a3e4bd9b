import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceSpan } from "../../../src/rego/diagnostics.js";
import { formatModule } from "../../../src/rego/ast/format-module.js";
import { tokenize } from "../../../src/rego/lexer/tokenize.js";
import { LineIndex } from "../../../src/rego/lexer/line-index.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";

/**
 * Golden files: for each `*.rego` here (`*.v0.rego` parses as v0), `*.tokens.golden` lists the tokens,
 * `*.ast.golden` the AST (spans as `line:col-line:col`) and `*.pretty.golden` the canonical printer output.
 * Run with UPDATE_GOLDEN=1 to rewrite them, then review the diff.
 */
const dir = dirname(fileURLToPath(import.meta.url));
const update = process.env.UPDATE_GOLDEN === "1";
const sources = readdirSync(dir).filter((f) => f.endsWith(".rego")).sort();

function tokensText(text: string): string {
  const lines = new LineIndex("x", text);
  const r = tokenize(text);
  const out = r.tokens.map((t) => {
    const p = lines.position(t.start);
    const flags = [t.nl ? "nl" : "", t.raw ? "raw" : "", t.first ? "first" : "", t.last ? "last" : ""].filter(Boolean).join(",");
    return `${p.line}:${p.column}\t${t.kind}\t${JSON.stringify(t.value)}${flags ? `\t${flags}` : ""}`;
  });
  for (const c of r.comments) {
    const p = lines.position(c.start);
    out.push(`${p.line}:${p.column}\tcomment\t${JSON.stringify(c.text)}`);
  }
  return out.join("\n") + "\n";
}

function isSpan(x: unknown): x is SourceSpan {
  return typeof x === "object" && x !== null && "start" in x && "end" in x && "file" in x;
}

function astText(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_k, v: unknown) => (isSpan(v) ? `${v.start.line}:${v.start.column}-${v.end.line}:${v.end.column}` : v),
      2,
    ) + "\n"
  );
}

function check(path: string, actual: string): void {
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`${path} is missing: run the tests with UPDATE_GOLDEN=1 and review the new file`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden files", () => {
  it("has inputs", () => {
    expect(sources.length).toBeGreaterThanOrEqual(3);
  });

  it.each(sources)("%s", (file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const base = join(dir, file.replace(/\.rego$/, ""));
    const r = parseModule(text, { file, regoVersion: file.endsWith(".v0.rego") ? "v0" : "v1" });
    expect(r.diagnostics).toEqual([]);
    if (!r.module) throw new Error("no module");
    check(`${base}.tokens.golden`, tokensText(text));
    check(`${base}.ast.golden`, astText(r.module));
    check(`${base}.pretty.golden`, formatModule(r.module));
  });
});
