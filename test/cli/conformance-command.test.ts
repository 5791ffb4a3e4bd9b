import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConformanceCommand } from "../../src/cli/commands/conformance-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function fixture(): { dir: string; known: string } {
  const root = mkdtempSync(join(tmpdir(), "fw-conf-"));
  const dir = join(root, "v1");
  mkdirSync(join(dir, "demo"), { recursive: true });
  const cases = {
    cases: [
      { note: "demo/ok", query: "data.t.p = x", modules: ["package t\np := input.a + 1\n"], input: { a: 1 }, want_result: [{ x: 2 }] },
      { note: "demo/wrong", query: "data.t.p = x", modules: ["package t\np := 1\n"], want_result: [{ x: 2 }] },
      { note: "demo/conflict", query: "data.t.p = x", modules: ["package t\np := 1\np := 2\n"], want_error_code: "eval_conflict_error" },
      { note: "demo/big", query: "data.t.p = x", modules: ["package t\np := input.n * 10\n"], input_term: "{\"n\": 123456789012345678901234567890}", want_result: [{ x: "BIG" }] },
      { note: "demo/broken", query: "data.t.p = x", modules: ["package t\np := \n"], want_result: [{ x: 1 }] },
    ],
  };
  // The expected big number is written as exact JSON text (a JS number would round it).
  writeFileSync(join(dir, "demo", "cases.json"), JSON.stringify(cases).replace('"BIG"', "1234567890123456789012345678900"));
  writeFileSync(join(root, "cases-index.json"), JSON.stringify([{ note: "demo/ok", tier: "A", file: "demo/cases.json" }]));
  const known = join(root, "known.json");
  writeFileSync(known, JSON.stringify({ "demo/wrong": "value differs", "demo/broken": "does not parse" }));
  return { dir, known };
}

function io(): { out: string[]; err: string[]; io: Parameters<typeof runConformanceCommand>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: async (p) => readFileSync(p, "utf8") } };
}

describe("fleetward conformance", () => {
  test("judges cases, prints folders and the summary line; --strict passes with known failures", async () => {
    const f = fixture();
    const t = io();
    const code = await runConformanceCommand([f.dir, "--known-failures", f.known, "--strict"], t.io);
    const text = t.out.join("");
    expect(text).toContain("demo: 3 passed, 2 failed\n");
    expect(text).toContain("tier A: 1 passed, 0 failed\ntier B: 2 passed, 2 failed\n");
    expect(text.trim().split("\n").pop()).toBe("3 passed, 2 failed");
    expect(code).toBe(0);
  });

  test("--strict fails on an unlisted failure and reports listed cases that pass", async () => {
    const f = fixture();
    writeFileSync(f.known, JSON.stringify({ "demo/ok": "listed by mistake" }));
    const t = io();
    const code = await runConformanceCommand([f.dir, "--known-failures", f.known, "--strict"], t.io);
    const text = t.out.join("");
    expect(text).toContain("FAIL demo/wrong");
    expect(text).toContain("now passing");
    expect(code).toBe(1);
  });

  test("usage errors exit 2", async () => {
    const t = io();
    expect(await runConformanceCommand([], t.io)).toBe(2);
    expect(await runConformanceCommand(["x", "--bogus"], t.io)).toBe(2);
  });
});
