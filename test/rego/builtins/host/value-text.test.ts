import { HOST_BUILTINS } from "../../../../src/rego/builtins/host/host-builtin-table.js";
import { RegoSet } from "../../../../src/rego/builtins/host/rego-set.js";
import { formatValueText, parseValueText, valueTextName } from "../../../../src/rego/builtins/host/value-text.js";
import { compile } from "../../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function evaluate(rules: string, entrypoint: string, strict = false, input?: unknown): unknown {
  const r = compile({ modules: [{ file: "p.rego", text: `package t\n\n${rules}\n` }], entrypoints: [entrypoint], strictBuiltinErrors: strict });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return CompiledPolicy.loadSync(r.wasm, { strictBuiltinErrors: strict }).evaluate(entrypoint, input);
}

describe("value-text convention of host builtins", () => {
  test("Rego value text: sets, empty sets, non-string keys, big integers, trailing commas", () => {
    const v = parseValueText('{"a": {1, "x"}, "e": set(), "n": [9223372036854775807, 1.5, -2, null, true,], 3: {}}');
    expect(v).toEqual({ a: new RegoSet([1, "x"]), e: new RegoSet([]), n: [9223372036854775807n, 1.5, -2, null, true], "3": {} });
    // A non-string key becomes its JSON text ("3"), as in the JSON convention; JS lists integer-like keys first.
    expect(formatValueText(v)).toBe('{"3":{},"a":{1,"x"},"e":set(),"n":[9223372036854775807,1.5,-2,null,true]}');
    expect(() => parseValueText("{1,")).toThrow(/invalid Rego value text/);
    expect(() => parseValueText("[1] 2")).toThrow(/invalid Rego value text/);
  });

  test("registered builtins take and give value text", () => {
    const lsh = HOST_BUILTINS.get(valueTextName("bits.lsh"));
    expect(lsh?.("9223372036854775807", "1")).toBe("18446744073709551614");
    const patch = HOST_BUILTINS.get(valueTextName("json.patch"));
    expect(patch?.('{"s": {"a", "b"}}', '[{"op": "remove", "path": "/s/a"}]')).toBe('{"s":{"b"}}');
  });

  test("compiled policies keep sets and exact integers across host builtin calls", () => {
    const rules = [
      'patched := json.patch({"s": {"a", "b"}}, [{"op": "add", "path": "/s/c", "value": "c"}])',
      "is_still_set := is_set(patched.s)",
      'matches := net.cidr_contains_matches({"10.0.0.0/8", "11.0.0.0/8"}, {"10.1.1.1"})',
      "shifted := bits.lsh(9223372036854775807, 1) == 18446744073709551614",
      'bad := json.patch({"s": {"a"}}, [{"op": "add", "path": "/s/x", "value": "y"}])',
    ].join("\n");
    expect(evaluate(rules, "t/is_still_set")).toEqual([{ result: true }]);
    expect(evaluate(rules, "t/patched")).toEqual([{ result: { s: ["a", "b", "c"] } }]);
    expect(evaluate(rules, "t/matches")).toEqual([{ result: [["10.0.0.0/8", "10.1.1.1"]] }]);
    expect(evaluate(rules, "t/shifted")).toEqual([{ result: true }]);
    expect(evaluate(rules, "t/bad")).toEqual([]);
    expect(() => evaluate(rules, "t/bad", true)).toThrow(/json.patch: set element "y" added at key "x"/);
  });

  test("yaml.* are Fleetward's (not the SDK's): exact integers, errors with lines, is_valid of non-strings", () => {
    const rules = [
      'big := yaml.unmarshal("n: 123456789012345678901") == {"n": 123456789012345678901}',
      'round_trip := yaml.unmarshal(yaml.marshal({"s": {3, 1}}))',
      "not_string := yaml.is_valid(input.n)",
      'broken := yaml.unmarshal("a: 1\\nb: {c")',
    ].join("\n");
    expect(evaluate(rules, "t/big")).toEqual([{ result: true }]);
    expect(evaluate(rules, "t/round_trip")).toEqual([{ result: { s: [1, 3] } }]);
    expect(evaluate(rules, "t/not_string", true, { n: 1 })).toEqual([{ result: false }]);
    expect(evaluate(rules, "t/broken")).toEqual([]);
    expect(() => evaluate(rules, "t/broken", true)).toThrow(/eval_builtin_error.*yaml: line 2: did not find expected ',' or '}'/);
  });
});
