import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { serializeInput } from "../../../src/rego/evaluator/serialize-input.js";
import { dataAccess, inputAccess, type InputAccess } from "../../../src/rego/planner/input-access.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

type Shape = "*" | { [key: string]: Shape };

/** The access tree as nested objects: `*` a whole value, `[]` what is kept of every member of an iterated value. */
function shape(a: InputAccess): Shape {
  if (a.whole) return "*";
  const out: Record<string, Shape> = Object.fromEntries([...a.keys].map(([k, v]) => [k, shape(v)]));
  if (a.each !== undefined) out["[]"] = shape(a.each);
  return out;
}

function compiled(rules: string, entrypoint = "t/p"): { access: InputAccess; policy: CompiledPolicy } {
  const r = compile({ modules: [{ file: "t.rego", text: `package t\n\n${rules}\n` }], entrypoints: [entrypoint] });
  if (r.ir === undefined || r.wasm === undefined) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return { access: inputAccess(r.ir), policy: CompiledPolicy.loadSync(r.wasm) };
}

const doc = {
  review: { object: { kind: "Pod", metadata: { name: "a", labels: { x: "1" } }, spec: { containers: [{ image: "i" }] }, status: { big: "s" } }, uid: "u" },
  parameters: { repos: ["r/"], other: 1 },
  extra: [1, 2, 3],
};

describe("inputAccess", () => {
  test.each<[string, string, Shape]>([
    ["constant-key lookups, a value compared", "p if input.review.object.kind == \"Pod\"", { review: { object: { kind: "*" } } }],
    ["a value tested for truth (not false) is whole", "p if input.review.uid", { review: { uid: "*" } }],
    ["a value scanned: its members as the body uses them", "p contains x if some x in input.parameters.repos", { parameters: { repos: { "[]": "*" } } }],
    ["members' fields read in iteration", "p contains x.image if some x in input.spec.containers", { spec: { containers: { "[]": { image: "*" } } } }],
    ["nested iteration with a wildcard", "p contains n if { c := input.spec.containers[_]; n := c.ports[_].containerPort }", { spec: { containers: { "[]": { ports: { "[]": { containerPort: "*" } } } } } }],
    ["iteration beside a looked-up key: the key's member includes what every member shows", "p contains [x.a, input.o.k.b] if some x in input.o", { o: { k: { a: "*", b: "*" }, "[]": { a: "*" } } }],
    ["a rule's value with one definition is followed through the rule", "spec := input.review.object.spec\np := count(spec.containers)", { review: { object: { spec: { containers: "*" } } } }],
    ["a function's argument and result are followed", "f(x) := x.spec\np := f(input.review.object).replicas", { review: { object: { spec: { replicas: "*" } } } }],
    ["definitions under disjoint kind tests are followed", "s := input.o.spec if input.o.kind == \"Pod\"\ns := input.o.spec.template.spec if input.o.kind in {\"Deployment\", \"Job\"}\np contains c.image if some c in s.containers", { o: { kind: "*", spec: { containers: { "[]": { image: "*" } }, template: { spec: { containers: { "[]": { image: "*" } } } } } } }],
    ["definitions under overlapping tests stay whole", "s := input.o.spec if input.o.kind == \"Pod\"\ns := input.o.spec.template.spec if input.o.kind in {\"Pod\", \"Job\"}\np contains c.image if some c in s.containers", { o: { kind: "*", spec: "*" } }],
    ["definitions without tests stay whole", "s := input.o.a\ns := input.o.b\np := s.x", { o: { a: "*", b: "*" } }],
    ["a rule value from an iteration stays whole (values compared)", "s := input.o[_]\np := s.x", { o: { "[]": "*" } }],
    ["a value passed to a builtin", "p := count(input.review.object.metadata)", { review: { object: { metadata: "*" } } }],
    ["object.get with a constant key reads that member", "p := object.get(input.review.object.metadata, \"name\", \"\")", { review: { object: { metadata: { name: "*" } } } }],
    ["object.get with a computed key reads the object whole", "p := [object.get(input.review.object.metadata, k, \"\") | some k in [\"name\"]]", { review: { object: { metadata: "*" } } }],
    ["object.get of an input default", "p := object.get({}, \"x\", input.parameters)", { parameters: "*" }],
    ["a computed key: every member as the result is used", "p contains k if { some k in [\"kind\"]; input.review.object[k] }", { review: { object: { "[]": "*" } } }],
    ["a computed key's member's field", "p contains k if { some k in [\"a\"]; input.o[k].x == 1 }", { o: { "[]": { x: "*" } } }],
    ["input used as a whole", "p := count(input)", "*"],
    ["with input as", "q if input.a\np if q with input.a as 1", "*"],
    ["a rule's value returned by the entrypoint is whole", "p := input.review.object.spec", { review: { object: { spec: "*" } } }],
    ["no input at all", "p := 1", {}],
  ])("%s", (_, rules, expected) => {
    expect(shape(compiled(rules).access)).toEqual(expected);
  });

  test.each([
    "p if input.review.object.kind == \"Pod\"",
    "p contains x if some x in input.parameters.repos",
    "p := object.get(input.review.object.metadata, \"name\", \"\")",
    "p := object.get(input.review.object.metadata, \"missing\", \"default\")",
    "p := object.get(input.review.object.metadata.name, \"x\", \"not an object\")",
    "p := object.get(input.extra, \"1\", \"arrays have no string keys\")",
    "p contains k if { some k in [\"kind\", \"status\"]; input.review.object[k] }",
    "p := [input.review.object.metadata.labels, input.extra, input.missing.deep]",
    "p := count(input)",
    "p contains x.image if some x in input.review.object.spec.containers",
    "p contains [k, v.big] if some k, v in input.review.object",
    "p contains [i, x] if some i, x in input.extra",
    "p contains k if { some k in [\"kind\", \"status\"]; input.review.object[k].big }",
    "s := input.review.object.spec if input.review.object.kind == \"Pod\"\ns := input.review.object.status if input.review.object.kind in {\"Job\"}\np contains c.image if some c in s.containers",
    "f(o) := o.metadata\np := f(input.review.object).name",
    "q if input.review.object.kind == \"Pod\"\np := input.parameters if q with input.review.object.kind as \"Pod\"",
  ])("the pruned input gives the same result as the whole one: %s", (rules) => {
    const { access, policy } = compiled(rules);
    const full = policy.evaluateJson("t/p", JSON.stringify(doc));
    expect(policy.evaluateJson("t/p", serializeInput(doc, access))).toEqual(full);
    expect(policy.evaluate("t/p", doc)).toEqual(full);
  });

  test.each([
    "p := input.o[\"\\ufffd\"]",
    "p := input.o[\"\\ud800\"]",
    "p := object.get(input.o, \"x\\udc00\", \"default\")",
    "p := input.o[\"😀\"]",
  ])("a key with U+FFFD or a surrogate (lone ones are U+FFFD in the module) keeps its object whole: %s", (rules) => {
    const { access, policy } = compiled(rules);
    expect(shape(access)).toEqual({ o: "*" });
    for (const o of [{ "\ud800": 1 }, { "\ufffd": 2 }, { "x\udc00": 3, "x\ufffd": 4 }, { "😀": 5 }]) {
      const full = policy.evaluate("t/p", { o });
      expect([o, policy.evaluateJson("t/p", serializeInput({ o }, access))]).toEqual([o, full]);
      expect([o, policy.evaluateInput("t/p", { o }, access)]).toEqual([o, full]);
    }
  });
});

describe("dataAccess", () => {
  test.each<[string, Shape]>([
    ["p := 1", {}],
    ["p := input.x", {}],
    ["p := data.inventory.namespace", { inventory: { namespace: "*" } }],
    ["p if data.cfg.level > 1", { cfg: { level: "*" } }],
    ["q := 1\np := data.t.q", {}],
    ["p := count(data.cfg)", { cfg: "*" }],
  ])("%s", (rules, expected) => {
    const r = compile({ modules: [{ file: "t.rego", text: `package t\n\n${rules}\n` }], entrypoints: ["t/p"] });
    if (r.ir === undefined) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    expect(shape(dataAccess(r.ir))).toEqual(expected);
  });
});

describe("serializeInput", () => {
  const access = compiled("p if input.review.object.kind == \"Pod\"\nq := input.extra", "t/p").access;

  test("keeps only the looked-up keys of objects", () => {
    expect(JSON.parse(serializeInput(doc, access))).toEqual({ review: { object: { kind: "Pod" } } });
  });

  test("writes non-objects and missing keys as JSON does", () => {
    expect(serializeInput([1, { a: 2 }], access)).toBe("[1,{\"a\":2}]");
    expect(serializeInput({ review: { object: { kind: undefined } } }, access)).toBe("{\"review\":{\"object\":{}}}");
    expect(serializeInput({ review: "text" }, access)).toBe("{\"review\":\"text\"}");
    expect(serializeInput({ "review": { object: { kind: "a\"b\u2028" } } }, access)).toBe(JSON.stringify({ review: { object: { kind: "a\"b\u2028" } } }));
  });
});
