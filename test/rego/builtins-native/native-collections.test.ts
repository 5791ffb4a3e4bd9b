import { NativeHarness, str } from "./native-harness.js";

const h = new NativeHarness();
const typeError = (message: string) => ({ ok: false, code: "eval_type_error", message });

describe("arrays", () => {
  it("concat / slice / reverse", () => {
    expect(h.value("array.concat", "[1,2]", "[3]")).toBe("[1,2,3]");
    expect(h.value("array.slice", "[1,2,3,4]", "1", "3")).toBe("[2,3]");
    expect(h.value("array.slice", "[1,2,3,4]", "-5", "10")).toBe("[1,2,3,4]");
    expect(h.value("array.slice", "[1,2,3,4]", "3", "1")).toBe("[]");
    expect(h.value("array.reverse", "[1,[2],3]")).toBe("[3,[2],1]");
    expect(h.call("array.concat", "[1]", "{}")).toEqual(typeError("operand 2 must be array but got object"));
    expect(h.call("array.slice", "[1]", "0.5", "1")).toEqual(typeError("operand 2 must be integer number but got floating-point number"));
  });
});

describe("objects", () => {
  it("object.get with keys, paths and defaults", () => {
    expect(h.value("object.get", '{"a":{"b":[5,6]}}', '["a","b",1]', "0")).toBe("6");
    expect(h.value("object.get", '{"a":{"b":1}}', '["a","x"]', '"d"')).toBe('"d"');
    expect(h.value("object.get", '{"a":1}', "[]", "0")).toBe('{"a":1}');
    expect(h.value("object.get", '{"a":false}', str("a"), "true")).toBe("false");
    expect(h.value("object.get", '{"a":1}', str("z"), "null")).toBe("null");
    expect(h.call("object.get", str("x"), str("a"), "1")).toEqual(typeError("operand 1 must be object but got string"));
  });

  it("object.keys / remove / filter", () => {
    expect(h.value("object.keys", '{"b":1,"a":2}')).toBe('{"a","b"}');
    expect(h.value("object.remove", '{"a":1,"b":2,"c":3}', '["a"]')).toBe('{"b":2,"c":3}');
    expect(h.value("object.remove", '{"a":1,"b":2}', '{"b"}')).toBe('{"a":1}');
    expect(h.value("object.remove", '{"a":1,"b":2}', '{"a":0}')).toBe('{"b":2}');
    expect(h.value("object.filter", '{"a":1,"b":2,"c":3}', '["a","c","z"]')).toBe('{"a":1,"c":3}');
    expect(h.call("object.remove", '{"a":1}', str("a"))).toEqual(typeError("operand 2 must be one of {object, set, array} but got string"));
    expect(h.call("object.filter", "null", "[]")).toEqual(typeError("operand 1 must be object but got null"));
    expect(h.call("object.keys", str("a"))).toEqual(typeError("operand 1 must be object but got string"));
  });

  it("object.union merges recursively; union_n folds left to right", () => {
    expect(h.value("object.union", '{"a":{"b":1,"c":2},"d":1}', '{"a":{"b":3},"d":{"x":1}}')).toBe('{"a":{"b":3,"c":2},"d":{"x":1}}');
    expect(h.value("object.union_n", '[{"a":1},{"a":2,"b":1},{"c":{"d":1}},{"c":{"e":2}}]')).toBe('{"a":2,"b":1,"c":{"d":1,"e":2}}');
    expect(h.value("object.union_n", "[]")).toBe("{}");
    expect(h.call("object.union", "[]", "{}")).toEqual(typeError("operand 1 must be object but got array"));
    expect(h.call("object.union_n", "[{},1]")).toEqual(typeError("operand 1 must be array of objects but got array containing number"));
  });

  it("object.subset for objects, sets and arrays", () => {
    expect(h.value("object.subset", '{"a":1,"b":{"c":[1,2,3],"d":2}}', '{"b":{"c":[2,3]}}')).toBe("true");
    expect(h.value("object.subset", '{"a":1}', '{"a":2}')).toBe("false");
    expect(h.value("object.subset", "{1,2,3}", "{1,3}")).toBe("true");
    expect(h.value("object.subset", "[1,2,3,4]", "[2,3]")).toBe("true");
    expect(h.value("object.subset", "[1,2,3,4]", "[2,4]")).toBe("false");
    expect(h.value("object.subset", "[1,2,3]", "{3,1}")).toBe("true");
    expect(h.call("object.subset", "1", "{}")).toEqual(typeError("operand 1 must be one of {object, array, set} but got number"));
  });
});

describe("sets of sets", () => {
  it("union and intersection", () => {
    expect(h.value("union", "{{1,2},{2,3},set()}")).toBe("{1,2,3}");
    expect(h.value("intersection", "{{1,2},{2,3}}")).toBe("{2}");
    expect(h.value("intersection", "set()")).toBe("set()");
    expect(h.value("union", "set()")).toBe("set()");
    expect(h.call("union", "{1}")).toEqual(typeError("operand 1 must be set of sets but got set containing number"));
    expect(h.call("intersection", "[]")).toEqual(typeError("operand 1 must be set but got array"));
  });
});
