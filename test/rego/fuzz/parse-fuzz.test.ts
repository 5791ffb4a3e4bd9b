import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { extractAnnotations } from "../../../src/rego/ast/extract-annotations.js";
import { formatModule } from "../../../src/rego/ast/format-module.js";
import { astEqual } from "../../../src/rego/ast/strip-spans.js";
import { tokenize } from "../../../src/rego/lexer/tokenize.js";
import type { RegoVersion } from "../../../src/rego/parser/nodes.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import { parseQuery } from "../../../src/rego/parser/parse-query.js";
import { seededRandom as rng } from "../../../bench/seeded-random.js";

/**
 * Fuzzing for a bounded time: mutated conformance/fixture modules (token delete/duplicate/swap, random
 * characters, truncation), random token soup and random text. Properties: the parser never throws or hangs, every
 * diagnostic is a located rego_parse_error, and whatever parses cleanly round-trips through the printer.
 * FUZZ_SEED picks the seed (printed on failure); FUZZ_MS the time budget.
 */
const here = dirname(fileURLToPath(import.meta.url));
const seed = Number(process.env.FUZZ_SEED ?? 20261126);
const budgetMs = Number(process.env.FUZZ_MS ?? 3000);


function walkFiles(d: string, out: string[] = []): string[] {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walkFiles(p, out);
    else out.push(p);
  }
  return out;
}

function corpus(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(join(here, "../../fixtures/rego-v0"))) out.push(readFileSync(join(here, "../../fixtures/rego-v0", f), "utf8"));
  for (const f of readdirSync(join(here, "../golden")).filter((x) => x.endsWith(".rego"))) out.push(readFileSync(join(here, "../golden", f), "utf8"));
  const conf = join(here, "../../fixtures/opa-conformance/v1");
  if (existsSync(conf)) {
    for (const f of walkFiles(conf).filter((x) => x.endsWith(".json")).slice(0, 400)) {
      const doc = JSON.parse(readFileSync(f, "utf8")) as { cases?: Array<{ modules?: string[] }> };
      for (const c of doc.cases ?? []) out.push(...(c.modules ?? []));
    }
  }
  return out;
}

const SOUP = ["package", "p", "x", "import", "data", "input", ".", "[", "]", "{", "}", "(", ")", ",", ":", ":=", "=", "==", "!=", "<", ">=", "+", "-", "*", "/", "%", "&", "|", ";", "\n", "if", "contains", "in", "every", "some", "not", "with", "as", "default", "else", "1", "-2.5e3", '"s"', "`r`", '$"a{', "}\"", "true", "null", "set()", "#c\n", "_"];

function mutate(text: string, r: () => number): string {
  const toks = tokenize(text).tokens.filter((t) => t.kind !== "eof");
  const pieces = toks.map((t, i) => text.slice(t.start, (toks[i + 1]?.start ?? text.length)));
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n && pieces.length > 0; k++) {
    const i = Math.floor(r() * pieces.length);
    const j = Math.floor(r() * pieces.length);
    switch (Math.floor(r() * 6)) {
      case 0:
        pieces.splice(i, 1);
        break;
      case 1:
        pieces.splice(i, 0, pieces[i] ?? "");
        break;
      case 2: {
        const a = pieces[i] ?? "";
        pieces[i] = pieces[j] ?? "";
        pieces[j] = a;
        break;
      }
      case 3:
        pieces.splice(i, 0, String.fromCharCode(Math.floor(r() * 0x3000)));
        break;
      case 4:
        pieces.splice(i, 0, SOUP[Math.floor(r() * SOUP.length)] ?? "");
        break;
      default:
        pieces.length = i;
    }
  }
  return pieces.join("");
}

function soup(r: () => number): string {
  const n = Math.floor(r() * 60);
  let s = "package fuzz\n";
  for (let i = 0; i < n; i++) s += `${SOUP[Math.floor(r() * SOUP.length)]} `;
  return s;
}

/** Random UTF-16 text (including lone surrogates, NUL and control characters) after a package line. */
function randomText(r: () => number): string {
  const n = Math.floor(r() * 200);
  let s = "package fuzz\n";
  for (let i = 0; i < n; i++) s += String.fromCharCode(r() < 0.8 ? 32 + Math.floor(r() * 95) : Math.floor(r() * 0x10000));
  return s;
}

function checkOne(text: string, regoVersion: RegoVersion): "clean" | "errors" {
  const t0 = performance.now();
  const r = parseModule(text, { file: "fuzz.rego", regoVersion });
  const ms = performance.now() - t0;
  if (ms > 1000) throw new Error(`parse took ${ms.toFixed(0)} ms`);
  for (const d of r.diagnostics) {
    if (d.code !== "rego_parse_error" || d.span.start.line < 1 || d.span.start.column < 1) {
      throw new Error(`bad diagnostic ${JSON.stringify(d)}`);
    }
    if (d.message.startsWith("internal parser error")) throw new Error(d.message);
  }
  if (r.module && r.diagnostics.length === 0) {
    extractAnnotations(r.module);
    const printed = formatModule(r.module);
    const again = parseModule(printed, { file: "fuzz.rego", regoVersion });
    if (again.diagnostics.length > 0 || !astEqual(again.module, r.module)) {
      throw new Error(`printer round trip failed; printed:\n${printed}\n${JSON.stringify(again.diagnostics)}`);
    }
    return "clean";
  }
  return "errors";
}

describe("parser fuzzing", () => {
  it(`survives mutated and random modules for ${budgetMs} ms (seed ${seed})`, () => {
    const base = corpus();
    expect(base.length).toBeGreaterThan(10);
    const r = rng(seed);
    const deadline = performance.now() + budgetMs;
    let runs = 0;
    let clean = 0;
    while (performance.now() < deadline) {
      const pick = r();
      const src = pick < 0.1 ? randomText(r) : pick < 0.25 ? soup(r) : mutate(base[Math.floor(r() * base.length)] ?? "", r);
      const version: RegoVersion = r() < 0.7 ? "v1" : "v0";
      try {
        if (checkOne(src, version) === "clean") clean++;
        parseQuery(src.slice(0, 200));
      } catch (e) {
        throw new Error(`seed ${seed}, run ${runs}, ${version}: ${e instanceof Error ? e.message : String(e)}\n--- input:\n${src}`, { cause: e });
      }
      runs++;
    }
    console.log(`fuzz: ${runs} inputs, ${clean} parsed cleanly and round-tripped`);
    expect(runs).toBeGreaterThan(100);
  });
});
