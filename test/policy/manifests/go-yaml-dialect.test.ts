import { load } from "js-yaml";
import { acceptGoYamlIndentation, GO_YAML_V2_SCHEMA, resolveGoYamlV2Scalar } from "../../../src/policy/manifests/go-yaml-dialect.js";

const read = (text: string) => load(text, { schema: GO_YAML_V2_SCHEMA });

describe("go-yaml v2 scalars (sigs.k8s.io/yaml)", () => {
  it.each([
    ["yes", true], ["Y", true], ["on", true], ["ON", true], ["True", true],
    ["no", false], ["n", false], ["Off", false], ["FALSE", false],
    ["~", null], ["Null", null], ["", null],
    ["0777", 511], ["0o17", 15], ["0x1F", 31], ["0b101", 5], ["-0b11", -3], ["1_000", 1000], ["+12", 12], ["-7", -7],
    ["08", 8], ["1e3", 1000], [".5", 0.5], ["3.", 3], ["-.inf", Number.NEGATIVE_INFINITY],
    ["2024-01-02", "2024-01-02"], ["2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z"], ["yess", "yess"], ["0x", "0x"], ["1.2.3", "1.2.3"], ["_1", "_1"], ["+", "+"],
    ["18446744073709551615", Number(18446744073709551615n)], ["0xG", "0xG"], ["YeS", "YeS"],
  ])("%j is %p", (text, want) => {
    expect(resolveGoYamlV2Scalar(text)).toEqual(want);
  });

  it("applies to plain scalars and keys only: quoted scalars and !!str stay strings", () => {
    expect(read('a: yes\nb: "yes"\nc: \'0777\'\nd: !!str on\ne: 0777\non: 1\n')).toEqual({ a: true, b: "yes", c: "0777", d: "on", e: 511, true: 1 });
    // A `y` key is the boolean true too, so it becomes the key "true", as sigs.k8s.io/yaml makes it.
    expect(read("base: &b {x: 1}\nderived:\n  <<: *b\n  y: off\n")).toEqual({ base: { x: 1 }, derived: { x: 1, true: false } });
    expect(read("x: NaN\nv: .NaN\n")).toEqual({ x: "NaN", v: Number.NaN });
  });
});

describe("acceptGoYamlIndentation", () => {
  const template = [
    "apiVersion: templates.gatekeeper.sh/v1",
    "kind: ConstraintTemplate",
    "metadata:",
    "  name: k8sexample",
    "  annotations:",
    '    description: "Requires containers to set a thing, as the published',
    "  template writes it: the text continues at a lower indentation",
    'and even at column 0."',
    "spec: {}",
    "",
  ].join("\n");

  it("reads a double-quoted scalar whose continuation lines are indented less than its key, lines unchanged", () => {
    expect(() => read(template)).toThrow(/deficient indentation/);
    const { value, text } = acceptGoYamlIndentation(template, read);
    expect((value as { metadata: { annotations: { description: string } } }).metadata.annotations.description).toBe(
      "Requires containers to set a thing, as the published template writes it: the text continues at a lower indentation and even at column 0.",
    );
    expect(text.split("\n")).toHaveLength(template.split("\n").length);
    expect(text.split("\n").map((l) => l.trim())).toEqual(template.split("\n").map((l) => l.trim()));
  });

  it("does the same for flow collections and leaves other errors alone", () => {
    const flow = "spec:\n  list: [a,\n b]\n";
    expect(acceptGoYamlIndentation(flow, read).value).toEqual({ spec: { list: ["a", "b"] } });
    expect(() => acceptGoYamlIndentation("a: [b\n", read)).toThrow();
    expect(() => acceptGoYamlIndentation("a: b\n c: d\n", read)).toThrow(/bad indentation|mapping/);
  });
});
