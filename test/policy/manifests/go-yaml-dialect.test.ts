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

/** The resolver as first written (strconv-style parse of every candidate), kept as the oracle of the fast one. */
function referenceResolve(text: string): unknown {
  const bools: Record<string, boolean> = {};
  for (const s of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) bools[s] = true;
  for (const s of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) bools[s] = false;
  if (Object.prototype.hasOwnProperty.call(bools, text)) return bools[text];
  if (["", "~", "null", "Null", "NULL"].includes(text)) return null;
  if ([".nan", ".NaN", ".NAN"].includes(text)) return Number.NaN;
  if ([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].includes(text)) return Number.POSITIVE_INFINITY;
  if (["-.inf", "-.Inf", "-.INF"].includes(text)) return Number.NEGATIVE_INFINITY;
  if (text.startsWith(".")) return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  if (!/^[0-9+-]/.test(text)) return text;
  const plain = text.replace(/_/g, "");
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain);
  if (m !== null) {
    const digits = m[2] as string;
    const magnitude = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    const value = m[1] === "-" ? -magnitude : magnitude;
    if (!(value < -(2n ** 63n) || value > 2n ** 64n - 1n || (m[1] === "-" && value > 2n ** 63n - 1n))) return Number(value);
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return Number(plain);
  return text;
}

describe("resolveGoYamlV2Scalar's shortcuts (words, small decimals) against the reference resolver", () => {
  it("agrees on keywords, numbers near the shortcuts' edges and 60,000 seeded random scalars", () => {
    const texts = [
      ...["y", "yes", "Yes", "YES", "true", "TRUE", "on", "n", "no", "off", "OFF", "false", "False", "~", "null", "Null", "NULL", ""],
      ...[".nan", ".NaN", ".inf", "+.inf", "-.Inf", ".infx", "..5", ".5e3", ".e3"],
      ...["0", "00", "07", "08", "09", "10", "999999999999999", "9999999999999999", "123456789012345678901", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616"],
      ...["1_0", "_", "1__", "0x_1", "+0", "-0", "0.0", "-0.0", "1e999", "2e-400", "false_", "yes!", "TrUe", "nulls", "Falsey", "apps/v1", "100m", "8080", "3.14"],
    ];
    let seed = 11;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = "0123456789+-._xXoObBeEaAyYnNlLfFsStTuU~ ";
    for (let i = 0; i < 60_000; i++) {
      let t = "";
      for (let n = Math.floor(next() * 9); n > 0; n--) t += alphabet[Math.floor(next() * alphabet.length)];
      texts.push(t);
    }
    const differing = texts.filter((t) => !Object.is(resolveGoYamlV2Scalar(t), referenceResolve(t)));
    expect(differing).toEqual([]);
    // The shortcuts are taken: most random texts are words or small decimals.
    expect(texts.filter((t) => typeof resolveGoYamlV2Scalar(t) === "number").length).toBeGreaterThan(1000);
  });
});
