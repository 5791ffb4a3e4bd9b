/**
 * The plain-YAML fast path reads a text exactly as js-yaml (go-yaml v2 schema) does, or not at all: on every YAML file
 * of the repository, the Kustomize conformance cases' files, the generated check trees, hand-written edge cases and
 * thousands of seeded random mutations of them, whatever `parsePlainYaml` returns equals js-yaml's documents and start
 * lines, and js-yaml accepts the text. It must also take the common case: most of those files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadAll, parseEvents } from "js-yaml";
import { checkScaleTree } from "../../../bench/check-scale-tree.js";
import { seededRandom as random } from "../../../bench/seeded-random.js";
import { acceptGoYamlIndentation, GO_YAML_V2_SCHEMA } from "../../../src/policy/manifests/go-yaml-dialect.js";
import { linesAtOffsets } from "../../../src/policy/manifests/line-index.js";
import { loadManifestFile } from "../../../src/policy/manifests/load-manifest-file.js";
import { parsePlainYaml } from "../../../src/policy/manifests/plain-yaml.js";
import { documentStartOffsets } from "../../../src/policy/manifests/yaml-position-index.js";

const ROOT = process.cwd();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (["node_modules", "dist", ".git"].includes(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(e.name) ? [path] : [];
  });
}

function corpus(): string[] {
  const texts = yamlFiles(ROOT).map((p) => readFileSync(p, "utf8"));
  const cases = (JSON.parse(readFileSync(join(ROOT, "test/fixtures/kustomize-conformance/cases.json"), "utf8")) as { cases: Array<{ files: Record<string, string> }> }).cases;
  for (const c of cases) texts.push(...Object.entries(c.files).filter(([p]) => /\.ya?ml$/.test(p)).map(([, t]) => t));
  texts.push(...Object.values(checkScaleTree({ files: 120 })), ...Object.values(checkScaleTree({ files: 120, violatingEvery: 7 })));
  return texts;
}

const EDGE_CASES = [
  "a: 1\n---\n",
  "---\n# c\n---\nb: 2\n",
  "# x\n\nkey: v\n",
  "---\n---\n",
  "- a\n- b\n",
  "  k: v\n",
  "a: 1\n---",
  "# only\n",
  "",
  "x: 1\n...\n",
  "a:\n- 1\n- 2\nb: 3\n",
  "a:\n  - x: 1\n    v: [1, 2, {c: d}]\n  -   z: 'it''s'\n      w: \"q\"\n",
  "k: yes\nm: no\no: 0777\nh: 0x1F\nf: 1e3\nd: .5\ns: 08\nt: 2024-01-01\nnul: ~\ne:\n",
  "args: [--wait, \"--timeout=60s\"]\nurl: http://x:80/y\n",
  "a: b: c\n",
  "a: 1\na: 2\n",
  "a: &x 1\nb: *x\n",
  "a: !!str 1\n",
  "a: |\n  text\n",
  "a: >\n  folded\n",
  "a: plain\n  continued\n",
  "a: 'multi\n  line'\n",
  "a: \"esc\\n\"\n",
  "a: [1,\n  2]\n",
  "a:\n    b: 1\n  c: 2\n",
  "- - a\n",
  "<<: {a: 1}\n",
  "__proto__: 1\n",
  "1: one\ntrue: t\n",
  "\"1\": one\n'true': t\n",
  "a: 1 # comment\nb: '#x' # c\nc: x#y\n",
  "a:\tb\n",
  "a: 1\r\nb: 2\r\n",
  "%YAML 1.1\n---\na: 1\n",
  "--- a\n",
  "a: [a, ]\n",
  "a: {b: }\n",
  "a: {b, c: d}\n",
  "a: -\n",
  "-\n- x\n-\n",
  "a:\n-\n  b: 1\n",
  "- a\n  b\n",
  "a: 'x' y\n",
  "a: []\nb: {}\nc: [[]]\n",
  "key with spaces: value with spaces  \n",
  "-foo: -1\n",
  "? a\n: b\n",
  "a:\n  # comment\n  b: 1\n# end\n",
  "{\"a\": 1}\n",
  "just text\n",
];

/** js-yaml's reading: values and document start lines, or "error". */
function reference(text: string): { values: unknown[]; startLines: number[] } | "error" {
  try {
    const { value: values, text: read } = acceptGoYamlIndentation(text, (t) => loadAll(t, { schema: GO_YAML_V2_SCHEMA }));
    return { values, startLines: linesAtOffsets(read, documentStartOffsets(parseEvents(read, {}), read)) };
  } catch {
    return "error";
  }
}

function expectSameOrNothing(text: string): boolean {
  const fast = parsePlainYaml(text);
  if (fast === undefined) return false;
  const ref = reference(text);
  if (ref === "error") throw new Error(`the fast path read a text js-yaml refuses: ${JSON.stringify(text)}`);
  expect({ text, ...fast }).toStrictEqual({ text, ...ref });
  return true;
}


const PIECES = [" ", "  ", ":", ": ", "-", "- ", "#", " #", "'", '"', "[", "]", "{", "}", ",", "\n", "\n  ", "---\n", "&a ", "*a", "!", "|", ">", "?", "yes", "0x1", "~", "\t", "\\"];

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const r = next();
    if (r < 0.4) out = out.slice(0, at) + (PIECES[Math.floor(next() * PIECES.length)] as string) + out.slice(at);
    else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 3));
    else {
      // Change one line's indentation.
      const lines = out.split("\n");
      const k = Math.floor(next() * lines.length);
      const line = lines[k] ?? "";
      lines[k] = next() < 0.5 ? ` ${line}` : line.replace(/^ {1,2}/, "");
      out = lines.join("\n");
    }
  }
  return out;
}

describe("parsePlainYaml", () => {
  test("reads every file of the corpus as js-yaml does, or leaves it to js-yaml; takes most of them", () => {
    const texts = corpus();
    let taken = 0;
    for (const text of texts) if (expectSameOrNothing(text)) taken++;
    expect(texts.length).toBeGreaterThan(700);
    expect(taken / texts.length).toBeGreaterThan(0.75);
  });

  test("generated manifests are all taken", () => {
    const files = Object.entries(checkScaleTree({ files: 200, violatingEvery: 25 })).filter(([p]) => /^(envs|apps|bases)\/.*\.ya?ml$/.test(p) && !p.endsWith("broken.yaml"));
    for (const [, text] of files) expect(parsePlainYaml(text)).toBeDefined();
  });

  test("edge cases: identical or left to js-yaml", () => {
    const taken = EDGE_CASES.filter((t) => expectSameOrNothing(t));
    // The common shapes among them are taken (documents, compact sequences, flow, go-yaml scalars, comments).
    const common = EDGE_CASES.filter((t) => /^(a: 1\n---\n|a:\n- 1|a:\n {2}- x: 1|k: yes|args: |a: 1 # comment)/.test(t));
    expect(common).toHaveLength(6);
    expect(taken).toEqual(expect.arrayContaining(common));
    for (const bad of ["a: b: c\n", "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: plain\n  continued\n", "a: [1,\n  2]\n", "a:\tb\n", "1: one\n"]) expect(parsePlainYaml(bad)).toBeUndefined();
  });

  test("seeded random mutations of the corpus: identical or left to js-yaml (5,000 texts)", () => {
    const seeds = [...EDGE_CASES, ...corpus().filter((t) => t.length < 1500).slice(0, 300)];
    const next = random(17);
    let taken = 0;
    for (let i = 0; i < 5000; i++) if (expectSameOrNothing(mutate(seeds[i % seeds.length] as string, next))) taken++;
    expect(taken).toBeGreaterThan(500);
  });

  test("the loader gives the same documents, start lines and field positions with and without the fast path", () => {
    for (const [path, content] of Object.entries(checkScaleTree({ files: 60 })).filter(([p]) => /\.ya?ml$/.test(p))) {
      const fast = loadManifestFile({ path, content });
      // A leading space-only comment line changes nothing for js-yaml but is outside no subset: compare with a text the
      // fast path refuses (a tab in a comment), which takes js-yaml's path.
      const slow = loadManifestFile({ path, content: `#\t\n${content}` });
      expect(fast.diagnostics.map((d) => [d.code, d.line])).toEqual(slow.diagnostics.map((d) => [d.code, d.line - 1]));
      expect(fast.documents.map((d) => [d.index, d.startLine, d.kind, d.value])).toEqual(slow.documents.map((d) => [d.index, d.startLine - 1, d.kind, d.value]));
      for (const [i, d] of fast.documents.entries()) {
        const other = slow.documents[i];
        for (const field of ["metadata.name", "spec.template.spec.containers[0].image", "kind"]) {
          const a = d.locate(field);
          const b = other?.locate(field);
          expect(a?.value.line).toBe(b === undefined ? undefined : b.value.line - 1);
        }
      }
    }
  });
});
