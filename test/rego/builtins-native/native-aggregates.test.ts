import { NativeHarness, str } from "./native-harness.js";

const h = new NativeHarness();
const typeError = (message: string) => ({ ok: false, code: "eval_type_error", message });

describe("aggregates", () => {
  it("counts runes, elements, keys and members", () => {
    expect(h.value("count", str("héllo"))).toBe("5");
    expect(h.value("count", "[1,[2,3]]")).toBe("2");
    expect(h.value("count", '{"a":1,"b":2,"c":3}')).toBe("3");
    expect(h.value("count", "set()")).toBe("0");
    expect(h.call("count", "1")).toEqual(typeError("operand 1 must be one of {array, object, set, string} but got number"));
    expect(h.call("count", "null")).toEqual(typeError("operand 1 must be one of {array, object, set, string} but got null"));
  });

  it("sums and multiplies exactly", () => {
    expect(h.value("sum", "[1,2.5,0.1]")).toBe("3.6");
    expect(h.value("sum", "[49649733057,1]")).toBe("49649733058");
    expect(h.value("sum", "[]")).toBe("0");
    expect(h.value("sum", "{9223372036854775807,1}")).toBe("9223372036854775808");
    expect(h.value("product", "[1,2,3,4]")).toBe("24");
    expect(h.value("product", "set()")).toBe("1");
    expect(h.call("sum", '[1,"a"]')).toEqual(typeError("operand 1 must be array of numbers but got array containing string"));
    expect(h.call("product", '{"a"}')).toEqual(typeError("operand 1 must be set of numbers but got set containing string"));
    expect(h.call("sum", "1")).toEqual(typeError("operand 1 must be one of {set, array} but got number"));
  });

  it("finds max and min by OPA's order; empty collections are undefined", () => {
    expect(h.value("max", "[1,3,2]")).toBe("3");
    expect(h.value("min", "[3,2,1,4,6,-7,10]")).toBe("-7");
    expect(h.value("max", '[1,"a",null]')).toBe('"a"');
    expect(h.value("min", '{"b","a"}')).toBe('"a"');
    expect(h.call("max", "[]")).toEqual({ ok: true, value: undefined });
    expect(h.call("min", "set()")).toEqual({ ok: true, value: undefined });
    expect(h.call("max", "{}")).toEqual(typeError("operand 1 must be one of {set, array} but got object"));
  });

  it("sorts arrays and sets into arrays", () => {
    expect(h.value("sort", '[3,"a",1,null,[0],false]')).toBe('[null,false,1,3,"a",[0]]');
    expect(h.value("sort", "{3,1,2}")).toBe("[1,2,3]");
    expect(h.call("sort", '"abc"')).toEqual(typeError("operand 1 must be one of {set, array} but got string"));
  });
});

describe("types", () => {
  const samples: Record<string, string> = {
    null: "null", boolean: "true", number: "1.5", string: '"x"', array: "[1]", object: '{"a":1}', set: "{1}",
  };

  it("answers each is_* for every type", () => {
    for (const [type, text] of Object.entries(samples)) {
      for (const other of Object.keys(samples)) {
        expect({ text, other, r: h.value(`is_${other}`, text) }).toEqual({ text, other, r: String(other === type) });
      }
    }
  });

  it("names types", () => {
    for (const [type, text] of Object.entries(samples)) expect(h.value("type_name", text)).toBe(JSON.stringify(type));
    expect(h.value("type_name", "set()")).toBe('"set"');
  });
});
