/**
 * Uses OPA's conformance cases (the copy in test/fixtures/opa-conformance) as test data for the native
 * builtins: every case whose single module is one call of a native builtin on literal arguments, bound to the
 * rule's value, is evaluated by calling the runtime export directly. The v1-supplement `sprintf("%v", [...])`
 * tables for arithmetic are checked the same way.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { NATIVE_BUILTINS } from "../../../src/rego/builtins/native-builtins.js";
import { NativeHarness, type NativeResult } from "./native-harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const casesDir = join(root, "test/fixtures/opa-conformance");
const present = existsSync(join(casesDir, "cases-index.json"));
const describeIfCases = present ? describe : describe.skip;

interface IndexEntry {
  file: string;
  note: string;
  builtins: string[];
}
interface Case {
  note: string;
  modules?: string[];
  want_result?: Record<string, unknown>[];
  want_error?: string;
  want_error_code?: string;
  strict_error?: boolean;
}

/** Splits `a, [b, c], "d,e"` at top-level commas. */
function splitArgs(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "`") return undefined;
    else if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

interface SimpleCall {
  head: "value" | "contains";
  builtin: string;
  args: string[];
}

const HEAD = /^package \S+\n\n(\w+) (:=|=|contains) (\w+) if \{\n([\s\S]*)\}\n$/;

/** Recognises `p := x if { x = f(args) }`, `p contains x if { f(args, x) }` and the `__local0__` variants. */
function simpleCall(module: string): SimpleCall | undefined {
  const m = HEAD.exec(module);
  if (!m) return undefined;
  const [, , op, resultVar, bodyText] = m;
  const body = bodyText!.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  let callVar: string | undefined;
  let call: string | undefined;
  const first = body[0];
  if (!first) return undefined;
  const assign = /^(\w+) :?= ([\w.]+\(.*\))$/.exec(first);
  if (assign) {
    callVar = assign[1];
    call = assign[2];
  } else if (/^[\w.]+\(.*\)$/.test(first)) {
    call = first;
  } else {
    return undefined;
  }
  const cm = /^([\w.]+)\((.*)\)$/.exec(call!);
  if (!cm) return undefined;
  const builtin = cm[1]!;
  const entry = NATIVE_BUILTINS.get(builtin);
  let args = splitArgs(cm[2]!);
  if (!entry || !args) return undefined;
  if (callVar === undefined) {
    // output-argument form f(args..., out)
    if (args.length !== entry.arity + 1) return undefined;
    callVar = args[args.length - 1];
    args = args.slice(0, -1);
  }
  if (args.length !== entry.arity || args.some((a) => /__local|^[a-z_]\w*$|data\.|input/.test(a) && !/^(true|false|null)$/.test(a))) return undefined;
  if (body.length === 2) {
    if (body[1] !== `${resultVar} = ${callVar}`) return undefined;
  } else if (body.length !== 1 || callVar !== resultVar) {
    return undefined;
  }
  return { head: op === "contains" ? "contains" : "value", builtin, args };
}

const h = new NativeHarness();

function evalCall(c: SimpleCall): NativeResult | undefined {
  try {
    return h.call(c.builtin, ...c.args);
  } catch {
    return undefined; // an argument that is not a plain literal
  }
}

function equalValues(actualText: string, expected: unknown): boolean {
  const mark = h.rt.exports.opa_heap_ptr_get();
  try {
    const a = h.rt.parseValue(actualText);
    const b = h.rt.parseJson(JSON.stringify(expected));
    return h.rt.exports.fw_value_equal(a, b) === 1 || h.rt.dumpJson(a) === h.rt.dumpJson(b);
  } finally {
    h.rt.exports.opa_heap_ptr_set(mark);
  }
}

describeIfCases("OPA conformance cases as native builtin data", () => {
  const index = present ? (JSON.parse(readFileSync(join(casesDir, "cases-index.json"), "utf8")) as IndexEntry[]) : [];
  const selected: { note: string; c: Case; call: SimpleCall }[] = [];
  for (const entry of index) {
    if (entry.builtins.length === 0 || !entry.builtins.every((b) => NATIVE_BUILTINS.has(b))) continue;
    const file = join(casesDir, entry.file.startsWith("v1-supplement/") ? entry.file : join("v1", entry.file));
    if (!existsSync(file) || !file.endsWith(".json")) continue;
    const cases = (JSON.parse(readFileSync(file, "utf8")) as { cases: Case[] }).cases;
    for (const c of cases) {
      if (c.note !== entry.note || c.modules?.length !== 1) continue;
      const call = simpleCall(c.modules[0]!);
      if (call) selected.push({ note: c.note, c, call });
    }
  }

  it("finds a useful number of single-call cases", () => {
    expect(selected.length).toBeGreaterThan(60);
  });

  it("agrees with every selected case", () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { note, c, call } of selected) {
      const r = evalCall(call);
      if (!r) continue;
      checked++;
      const expectsError = c.want_error !== undefined || c.want_error_code !== undefined;
      if (expectsError) {
        if (r.ok) {
          failures.push(`${note}: expected an error, got ${r.value}`);
          continue;
        }
        const full = `${r.code}: ${call.builtin}: ${r.message}`;
        const want = (c.want_error ?? "").replace(/^test-\d+\.rego:\d+: /, "");
        if (c.want_error_code && c.want_error_code !== r.code) failures.push(`${note}: code ${r.code}, want ${c.want_error_code}`);
        else if (!full.includes(want) && !full.includes(want.replace(/^\w+: /, ""))) failures.push(`${note}: "${full}" lacks "${want}"`);
        continue;
      }
      const want = c.want_result ?? [];
      if (!r.ok) {
        // without strict errors a builtin error only makes the rule undefined
        if (r.code === "eval_builtin_error" && !c.strict_error && want.length === 0) continue;
        failures.push(`${note}: unexpected error ${r.code}: ${r.message}`);
        continue;
      }
      if (r.value === undefined) {
        if (want.length !== 0 && !(call.head === "contains" && JSON.stringify(want) === '[{"x":[]}]')) failures.push(`${note}: undefined, want ${JSON.stringify(want)}`);
        continue;
      }
      const binding = want[0];
      const expected = binding ? Object.values(binding)[0] : undefined;
      const ok = call.head === "contains"
        ? Array.isArray(expected) && expected.length === 1 && equalValues(r.value, expected[0])
        : want.length === 1 && equalValues(r.value, expected);
      if (!ok) failures.push(`${note}: got ${r.value}, want ${JSON.stringify(want)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  });
});

describeIfCases("v1-supplement arithmetic tables", () => {
  const files = ["arithmetic/test-arithmetic-edges.yaml", "arithmetic/test-arithmetic-bignum.yaml"];
  const OPS: Record<string, string> = { "/": "div", "%": "rem", "-": "minus" };
  const rt = h.rt.exports;

  /** Evaluates `a op b` or `f(a)` on number literals; undefined for other shapes. */
  function evalExpr(expr: string): NativeResult | undefined {
    const call = /^(\w+)\((-?[\d.e+]+)\)$/.exec(expr);
    if (call) return NATIVE_BUILTINS.has(call[1]!) ? h.call(call[1]!, call[2]!) : undefined;
    const bin = /^(-?[\d.e+]+) ([-+*/%]) (-?[\d.e+]+)$/.exec(expr);
    if (!bin) return undefined;
    const [, a, op, b] = bin;
    const native = OPS[op!];
    if (native) return h.call(native, a!, b!);
    const fn = op === "+" ? rt.fw_number_add : op === "*" ? rt.fw_number_mul : undefined;
    if (!fn) return undefined;
    const v = fn(h.rt.parseValue(a!), h.rt.parseValue(b!));
    return { ok: true, value: h.rt.dumpValue(v) };
  }

  for (const file of files) {
    it(`reproduces ${file} through native sprintf`, () => {
      const doc = parseYaml(readFileSync(join(casesDir, "v1-supplement", file), "utf8")) as { cases: Case[] };
      let checked = 0;
      const failures: string[] = [];
      for (const c of doc.cases) {
        const module = c.modules?.[0] ?? "";
        const binding = c.want_result?.[0]?.["x"] as Record<string, string> | undefined;
        for (const m of module.matchAll(/"(\w+)": sprintf\("%v", \[(.+)\]\),/g)) {
          const [, key, expr] = m;
          const want = binding?.[key!];
          const r = evalExpr(expr!);
          if (!r || want === undefined) continue;
          checked++;
          if (!r.ok || r.value === undefined) {
            failures.push(`${c.note} ${key}: ${JSON.stringify(r)}`);
            continue;
          }
          const got = h.value("sprintf", JSON.stringify("%v"), `[${r.value}]`);
          if (JSON.parse(got) !== want) failures.push(`${c.note} ${key}: got ${got}, want ${want}`);
        }
        if (c.want_error && /p := (-?[\d.]+ [/%] -?[\d.]+)\n/.test(module)) {
          const expr = /p := (-?[\d.]+ [/%] -?[\d.]+)\n/.exec(module)![1]!;
          const r = evalExpr(expr);
          checked++;
          if (!r || r.ok || !r.message.includes(c.want_error) || r.code !== c.want_error_code) failures.push(`${c.note}: ${JSON.stringify(r)}`);
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(5);
    });
  }
});
