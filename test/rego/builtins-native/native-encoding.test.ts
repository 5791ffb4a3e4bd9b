import { NativeHarness, str } from "./native-harness.js";

const h = new NativeHarness();
const typeError = (message: string) => ({ ok: false, code: "eval_type_error", message });
const builtinError = (message: string) => ({ ok: false, code: "eval_builtin_error", message });
const text = (name: string, arg: string): string => JSON.parse(h.value(name, str(arg))) as string;

describe("json", () => {
  it("marshals values (sets as sorted arrays) and unmarshals them back", () => {
    expect(JSON.parse(h.value("json.marshal", '{"b":[1,{2,1}],"a":null}'))).toBe('{"a":null,"b":[1,[1,2]]}');
    expect(h.value("json.unmarshal", str('{"x": [1, 2.5, "y"]}'))).toBe('{"x":[1,2.5,"y"]}');
    expect(h.call("json.unmarshal", str("{bad"))).toMatchObject({ ok: false, code: "eval_builtin_error" });
    expect(h.call("json.unmarshal", "1")).toEqual(typeError("operand 1 must be string but got number"));
  });

  it("json.is_valid never fails", () => {
    expect(h.value("json.is_valid", str("[1,2]"))).toBe("true");
    expect(h.value("json.is_valid", str("[1,2"))).toBe("false");
    expect(h.value("json.is_valid", "1")).toBe("false");
  });
});

describe("base64 / base64url", () => {
  const samples = ["", "f", "fo", "foo", "foob", "fooba", "foobar", "héllo ✓ ??>"];

  it("round-trips and agrees with Node's encoder", () => {
    for (const s of samples) {
      const std = Buffer.from(s).toString("base64");
      const url = Buffer.from(s).toString("base64url");
      expect(text("base64.encode", s)).toBe(std);
      expect(text("base64.decode", std)).toBe(s);
      expect(text("base64url.encode_no_pad", s)).toBe(url);
      expect(text("base64url.encode", s)).toBe(url + "=".repeat((4 - (url.length % 4)) % 4));
      expect(text("base64url.decode", url)).toBe(s);
      expect(text("base64url.decode", text("base64url.encode", s))).toBe(s);
    }
  });

  it("rejects illegal input", () => {
    expect(h.call("base64.decode", str("Zm9v!"))).toEqual(builtinError("illegal base64 data at input byte 4"));
    expect(h.call("base64.decode", str("Zm9"))).toEqual(builtinError("illegal base64 data at input byte 3"));
    expect(h.value("base64.is_valid", str("Zm9vYg=="))).toBe("true");
    expect(h.value("base64.is_valid", str("Zm9vYg="))).toBe("false");
    expect(h.call("base64url.decode", str("Z"))).toEqual(builtinError("illegal base64url string: Z"));
    expect(h.call("base64.encode", "1")).toEqual(typeError("operand 1 must be string but got number"));
  });
});

describe("hex and urlquery", () => {
  it("hex encodes and decodes bytes", () => {
    expect(text("hex.encode", "hé")).toBe("68c3a9");
    expect(text("hex.decode", "68C3A9")).toBe("hé");
    expect(h.call("hex.decode", str("6g"))).toEqual(builtinError("encoding/hex: invalid byte: U+0067 'g'"));
    expect(h.call("hex.decode", str("abc"))).toEqual(builtinError("encoding/hex: odd length hex string"));
  });

  it("urlquery escapes like Go's url.QueryEscape", () => {
    expect(text("urlquery.encode", "a b&c=d/é~")).toBe("a+b%26c%3Dd%2F%C3%A9~");
    expect(text("urlquery.decode", "a+b%26c%3Dd%2F%C3%A9~")).toBe("a b&c=d/é~");
    expect(h.call("urlquery.decode", str("a%zzb"))).toEqual(builtinError('invalid URL escape "%zz"'));
    expect(h.call("urlquery.decode", str("a%2"))).toEqual(builtinError('invalid URL escape "%2"'));
  });
});
