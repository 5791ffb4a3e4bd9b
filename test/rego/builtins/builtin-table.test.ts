import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTINS, builtinArity, isBuiltinNamespace, lookupBuiltin, type BuiltinTier } from "../../../src/rego/builtins/builtin-table.js";
import { isSubtype, parseType, printType } from "../../../src/rego/builtins/rego-type.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const indexPath = join(root, "test/fixtures/opa-conformance/cases-index.json");

interface IndexedCase {
  file: string;
  note: string;
  tier: BuiltinTier;
  builtins: string[];
}

describe("builtin table", () => {
  it("declares the operator builtins with their infix symbols", () => {
    const ops: Record<string, string> = {
      plus: "+", minus: "-", mul: "*", div: "/", rem: "%", eq: "=", assign: ":=", equal: "==", neq: "!=",
      lt: "<", lte: "<=", gt: ">", gte: ">=", and: "&", or: "|", "internal.member_2": "in", "internal.member_3": "in",
    };
    for (const [name, infix] of Object.entries(ops)) {
      expect(lookupBuiltin(name)?.infix).toBe(infix);
    }
  });

  it("prints signatures in OPA's notation", () => {
    expect(printType(lookupBuiltin("count")!.decl)).toBe(
      "(any<string, array[any], object[any: any], set[any]>) => number",
    );
    expect(printType(lookupBuiltin("minus")!.decl)).toBe("(any<number, set[any]>, any<number, set[any]>) => any<number, set[any]>");
    expect(printType(lookupBuiltin("strings.replace_n")!.decl)).toBe("(object[string: string], string) => string");
    expect(printType(lookupBuiltin("print")!.decl)).toBe("(...any)");
    expect(printType(lookupBuiltin("walk")!.decl)).toBe("(any) => array<array[any], any>");
  });

  it("reports arity and namespaces", () => {
    expect(builtinArity(lookupBuiltin("count")!)).toEqual({ args: 1, variadic: false });
    expect(builtinArity(lookupBuiltin("print")!)).toEqual({ args: 0, variadic: true });
    expect(isBuiltinNamespace("io.jwt")).toBe(true);
    expect(isBuiltinNamespace("strings")).toBe(true);
    expect(isBuiltinNamespace("count")).toBe(false);
  });

  it("round-trips every signature through the printer and parser", () => {
    for (const b of BUILTINS.values()) {
      const text = printType(b.decl);
      expect(printType(parseType(text))).toBe(text);
    }
  });

  it("marks nondeterministic, deprecated and relation builtins", () => {
    expect(lookupBuiltin("time.now_ns")?.nondeterministic).toBe(true);
    expect(lookupBuiltin("http.send")?.nondeterministic).toBe(true);
    expect(lookupBuiltin("count")?.nondeterministic).toBe(false);
    expect(lookupBuiltin("re_match")?.deprecated).toBe(true);
    expect(lookupBuiltin("regex.match")?.deprecated).toBe(false);
    expect(lookupBuiltin("walk")?.relation).toBe(true);
    expect(lookupBuiltin("no.such.builtin")).toBeUndefined();
  });

  // The SDK ships an older OPA's capabilities: newer OPA widened some parameters (glob.match accepts null
  // delimiters) and narrowed some results (object.union returns an object). Ours must be the same or such a
  // refinement: a function subtype (parameters at least as wide, result at least as narrow).
  it("refines the signatures of the OPA Wasm SDK's capabilities file for every builtin both declare", () => {
    const capsPath = join(root, "node_modules/@open-policy-agent/opa-wasm/capabilities.json");
    const caps = JSON.parse(readFileSync(capsPath, "utf8")) as { builtins: Array<{ name: string; decl: unknown }> };
    let compared = 0;
    const differ: string[] = [];
    for (const c of caps.builtins) {
      const ours = lookupBuiltin(c.name);
      expect(ours).toBeDefined();
      const theirs = fromCapabilityJson(c.decl);
      if (!isSubtype(ours!.decl, theirs)) differ.push(`${c.name}: ${printType(ours!.decl)} vs ${printType(theirs)}`);
      compared++;
    }
    expect(compared).toBeGreaterThan(90);
    expect(differ).toEqual([]);
  });

  const index: IndexedCase[] | undefined = existsSync(indexPath)
    ? (JSON.parse(readFileSync(indexPath, "utf8")) as IndexedCase[])
    : undefined;
  const withIndex = index ? it : it.skip;
  if (!index) console.warn(`skipping conformance index checks: ${indexPath} is absent`);

  withIndex("declares every builtin named in the conformance cases index", () => {
    const missing = new Set<string>();
    for (const c of index!) for (const b of c.builtins) if (!lookupBuiltin(b)) missing.add(b);
    expect([...missing]).toEqual([]);
  });

  withIndex("gives each conformance case the tier of its highest-tier builtin", () => {
    const wrong: string[] = [];
    for (const c of index!) {
      const tiers = c.builtins.map((b) => lookupBuiltin(b)?.tier ?? "C");
      const max = tiers.reduce<BuiltinTier>((m, t) => (t > m ? t : m), "A");
      if (max !== c.tier) wrong.push(`${c.note}: ${max} != ${c.tier}`);
    }
    expect(wrong).toEqual([]);
  });
});

/** Converts the JSON type encoding of OPA capabilities files into our type text, independently of the table. */
function fromCapabilityJson(j: unknown): ReturnType<typeof parseType> {
  return parseType(capText(j));
}

function capText(j: unknown): string {
  const o = j as Record<string, unknown>;
  const t = o.type as string;
  switch (t) {
    case "any":
      return Array.isArray(o.of) ? `any<${(o.of as unknown[]).map(capText).join(", ")}>` : "any";
    case "array": {
      const stat = Array.isArray(o.static) ? `<${(o.static as unknown[]).map(capText).join(", ")}>` : "";
      const dyn = o.dynamic ? `[${capText(o.dynamic)}]` : "";
      return `array${stat}${dyn}`;
    }
    case "object": {
      const stat = Array.isArray(o.static)
        ? `<${(o.static as Array<{ key: string; value: unknown }>).map((p) => `${p.key}: ${capText(p.value)}`).join(", ")}>`
        : "";
      const d = o.dynamic as { key: unknown; value: unknown } | undefined;
      return `object${stat}${d ? `[${capText(d.key)}: ${capText(d.value)}]` : ""}`;
    }
    case "set":
      return `set[${capText(o.of)}]`;
    case "function": {
      const args = ((o.args as unknown[] | undefined) ?? []).map(capText);
      if (o.variadic) args.push(`...${capText(o.variadic)}`);
      return `(${args.join(", ")})${o.result ? ` => ${capText(o.result)}` : ""}`;
    }
    default:
      return t;
  }
}
