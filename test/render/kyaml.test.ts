import { goParseInt, parseKYaml, pointerOf, stringifyKYaml, stringifyKYamlStream } from "../../src/render/kyaml.js";
import { RenderError } from "../../src/render/render-error.js";

function fails(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RenderError) return e;
    throw e;
  }
  throw new Error("expected a RenderError");
}

describe("Kustomize's YAML dialect (go-yaml v3)", () => {
  test("YAML 1.1 words stay strings; core booleans and nulls; go-yaml's integers", () => {
    const [doc] = parseKYaml("a: yes\nb: on\nc: True\nd: ~\ne: 0777\nf: 0x1F\ng: 0b101\nh: 1_000\ni: 0o17\nj: 2020-01-01\nk: 1.5\n", "f.yaml");
    expect(doc!.value).toEqual({ a: "yes", b: "on", c: true, d: null, e: 511, f: 31, g: 5, h: 1000, i: 15, j: "2020-01-01", k: 1.5 });
  });

  test("goParseInt reads as Go's ParseInt(s, 0, 64)", () => {
    expect([goParseInt("-010"), goParseInt("+7"), goParseInt("0"), goParseInt("12")]).toEqual([-8, 7, 0, 12]);
  });

  test("merge keys, empty documents dropped, document and field lines", () => {
    const docs = parseKYaml("# only a comment\n---\nbase: &b\n  x: 1\nobj:\n  <<: *b\n  y:\n  - p\n  - q\n---\n---\nkind: Two\n", "f.yaml");
    expect(docs).toHaveLength(2);
    expect(docs[0]!.value).toEqual({ base: { x: 1 }, obj: { x: 1, y: ["p", "q"] } });
    expect(docs[0]!.line).toBe(3);
    expect(docs[0]!.lineOf("/obj/y")).toBe(7);
    expect(docs[0]!.lineOf("/obj/y/1")).toBe(9);
    expect(docs[0]!.lineOf("/obj/y/1/deeper")).toBe(9);
    expect(docs[1]!.line).toBe(12);
  });

  test("duplicate keys are an error in resources, the last one wins where asked (kustomizations)", () => {
    const e = fails(() => parseKYaml("a: 1\nb: 2\na: 3\n", "dup.yaml"));
    expect(e.code).toBe("render_yaml");
    expect(e.at).toEqual({ file: "dup.yaml", line: 3 });
    expect(parseKYaml("a: 1\na: 3\n", "k.yaml", { uniqueKeys: false })[0]!.value).toEqual({ a: 3 });
  });

  test("a plain scalar starting with ':' inside a flow collection is an error, as in go-yaml (block context and quoted are fine)", () => {
    expect(fails(() => parseKYaml("a: 1\nargs: [--listen, :8081]\n", "f.yaml")).at).toEqual({ file: "f.yaml", line: 2 });
    expect(fails(() => parseKYaml("b: {k: :v}\n", "f.yaml")).code).toBe("render_yaml");
    expect(parseKYaml('a: :x\nb: [":y", c:d]\n', "f.yaml")[0]!.value).toEqual({ a: ":x", b: [":y", "c:d"] });
  });

  test("a syntax error carries the file and line", () => {
    const e = fails(() => parseKYaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"));
    expect(e.code).toBe("render_yaml");
    expect(e.at?.file).toBe("bad.yaml");
    expect(e.at!.line).toBeGreaterThanOrEqual(2);
  });

  test("a YAML bomb (billion laughs) is refused, not expanded", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) levels.push(`${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i - 1]}`).join(", ")}]`);
    const e = fails(() => parseKYaml(levels.join("\n") + "\n", "bomb.yaml"));
    expect(e.code).toBe("render_yaml_limit");
    expect(e.at?.file).toBe("bomb.yaml");
  });

  test("size and document limits", () => {
    expect(fails(() => parseKYaml("a: 1234567890\n", "big.yaml", { maxFileBytes: 5 })).code).toBe("render_yaml_limit");
    expect(fails(() => parseKYaml("a: 1\n---\nb: 2\n---\nc: 3\n", "many.yaml", { maxDocuments: 2 })).code).toBe("render_yaml_limit");
  });

  test("writing quotes what another reader could take for a boolean or a number, sequences not indented", () => {
    const text = stringifyKYaml({ a: "yes", b: "0777", c: "true", d: [{ x: 1 }], e: "plain" });
    expect(text).toBe('a: "yes"\nb: "0777"\nc: "true"\nd:\n- x: 1\ne: plain\n');
    expect(parseKYaml(text, "round")[0]!.value).toEqual({ a: "yes", b: "0777", c: "true", d: [{ x: 1 }], e: "plain" });
    expect(stringifyKYamlStream([{ a: 1 }, { b: 2 }])).toBe("a: 1\n---\nb: 2\n");
  });

  test("pointerOf escapes ~ and /", () => {
    expect(pointerOf(["metadata", "annotations", "a.io/b~c", 0])).toBe("/metadata/annotations/a.io~1b~0c/0");
  });
});
