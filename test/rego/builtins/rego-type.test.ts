import {
  arrayAnyElement,
  isAnyType,
  objectAnyKey,
  objectAnyValue,
  tupleOf,
  isSubtype,
  parseType,
  printType,
  typesUnify,
  unionOf,
  T_NUMBER,
  T_STRING,
  TypeSyntaxError,
  type ArrayType,
  type ObjectType,
} from "../../../src/rego/builtins/rego-type.js";

const t = parseType;

describe("rego types", () => {
  it("prints OPA's notation", () => {
    expect(printType(t("array[string]"))).toBe("array[string]");
    expect(printType(t("object[string: any]"))).toBe("object[string: any]");
    expect(printType(t("set[any]"))).toBe("set[any]");
    expect(printType(t("array<number, string>"))).toBe("array<number, string>");
    expect(printType(t("array<number>[string]"))).toBe("array<number>[string]");
    expect(printType(t("object<a: string, b: number>"))).toBe("object<a: string, b: number>");
    expect(printType(t("object<a: string>[string: any]"))).toBe("object<a: string>[string: any]");
    expect(printType(t("(string, ...any) => boolean"))).toBe("(string, ...any) => boolean");
  });

  it("normalises unions: sorted in OPA's order, flattened, deduplicated, any absorbs", () => {
    expect(printType(t("any<set[any], number>"))).toBe("any<number, set[any]>");
    expect(printType(unionOf([T_STRING, T_NUMBER, T_STRING]))).toBe("any<number, string>");
    expect(printType(unionOf([t("any<null, string>"), t("boolean")]))).toBe("any<null, boolean, string>");
    expect(printType(unionOf([T_NUMBER, t("any")]))).toBe("any");
    expect(printType(unionOf([T_NUMBER]))).toBe("number");
  });

  it("rejects malformed type text", () => {
    expect(() => t("array[")).toThrow(TypeSyntaxError);
    expect(() => t("strng")).toThrow(TypeSyntaxError);
    expect(() => t("number number")).toThrow(TypeSyntaxError);
  });

  it("decides subtyping", () => {
    expect(isSubtype(t("number"), t("any"))).toBe(true);
    expect(isSubtype(t("any"), t("number"))).toBe(false);
    expect(isSubtype(t("number"), t("any<number, set[any]>"))).toBe(true);
    expect(isSubtype(t("string"), t("any<number, set[any]>"))).toBe(false);
    expect(isSubtype(t("any<number, string>"), t("any<null, number, string>"))).toBe(true);
    expect(isSubtype(t("array<number, number>"), t("array[number]"))).toBe(true);
    expect(isSubtype(t("array[number]"), t("array<number, number>"))).toBe(false);
    expect(isSubtype(t("object<a: string>"), t("object[string: any]"))).toBe(true);
    expect(isSubtype(t("object[string: any]"), t("object<a: string>"))).toBe(false);
    expect(isSubtype(t("set[string]"), t("set[any]"))).toBe(true);
    expect(isSubtype(t("set[any]"), t("set[string]"))).toBe(false);
    expect(isSubtype(t("(any) => number"), t("(string) => any"))).toBe(true);
    expect(isSubtype(t("(string) => number"), t("(any) => number"))).toBe(false);
  });

  it("unifies arguments with parameters like OPA's checker", () => {
    const countArg = t("any<string, array[any], object[any: any], set[any]>");
    expect(typesUnify(t("number"), countArg)).toBe(false);
    expect(typesUnify(t("array<number, string>"), countArg)).toBe(true);
    expect(typesUnify(t("any"), countArg)).toBe(true);
    expect(typesUnify(t("array<string>"), t("any<array[number], set[number]>"))).toBe(false);
    expect(typesUnify(t("array<>"), t("array[number]"))).toBe(true);
    expect(typesUnify(t("array<number>"), t("array<>"))).toBe(false);
    expect(typesUnify(t("set[string]"), t("set[number]"))).toBe(false);
    expect(typesUnify(t("object<a: number>"), t("object[string: string]"))).toBe(false);
    expect(typesUnify(t("object<a: number>"), t("object[string: number]"))).toBe(true);
    expect(typesUnify(t("object<a: number>"), t("object[number: number]"))).toBe(false);
    expect(typesUnify(t("any<number, string>"), t("string"))).toBe(true);
  });

  it("answers element, key and value questions about composite types", () => {
    expect(printType(arrayAnyElement(t("array<number, string>[boolean]") as ArrayType))).toBe("any<boolean, number, string>");
    expect(printType(arrayAnyElement(tupleOf([T_NUMBER, T_NUMBER])))).toBe("number");
    expect(printType(objectAnyKey(t("object<a: number>[number: string]") as ObjectType))).toBe("any<number, string>");
    expect(printType(objectAnyValue(t("object<a: number>[number: string]") as ObjectType))).toBe("any<number, string>");
    expect(isAnyType(t("any"))).toBe(true);
    expect(isAnyType(t("any<number, string>"))).toBe(false);
  });
});
