import { NativeHarness } from "./native-harness.js";

const h = new NativeHarness();

describe("walk (native)", () => {
  it("lists [path, value] for every node, parents first, keys and set elements in OPA's order", () => {
    expect(h.value("walk", '{"b": [1], "a": {"x"}}')).toBe('[[[],{"a":{"x"},"b":[1]}],[["a"],{"x"}],[["a","x"],"x"],[["b"],[1]],[["b",0],1]]');
  });

  it("uses set elements (also composite ones) as path segments", () => {
    expect(h.value("walk", "{{2, 1}}")).toBe("[[[],{{1,2}}],[[{1,2}],{1,2}],[[{1,2},1],1],[[{1,2},2],2]]");
  });

  it("walks scalars and empty collections to themselves only", () => {
    expect(h.value("walk", "3")).toBe("[[[],3]]");
    expect(h.value("walk", "[]")).toBe("[[[],[]]]");
    expect(h.value("walk", "set()")).toBe("[[[],set()]]");
  });
});
