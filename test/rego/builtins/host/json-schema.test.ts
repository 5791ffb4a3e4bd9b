import { call, failure } from "./call-host-builtin.js";

const schema = { type: "object", properties: { id: { type: "integer" }, tags: { type: "array", items: { type: "string" }, maxItems: 2 } }, required: ["id"], additionalProperties: false };

describe("json schema builtins", () => {
  test("verify_schema: valid schemas as values or text; gojsonschema's message for a bad type", () => {
    expect(call("json.verify_schema", { type: "boolean" })).toEqual([true, null]);
    expect(call("json.verify_schema", '{"type": "boolean"}')).toEqual([true, null]);
    expect(call("json.verify_schema", { properties: { a: { type: ["string", "nope"] } } })).toEqual([
      false, "jsonschema: has a primitive type that is NOT VALID -- given: /nope/ Expected valid values are:[array boolean integer number null object string]",
    ]);
    const [ok, message] = call("json.verify_schema", { minLength: "three" }) as [boolean, string];
    expect(ok).toBe(false);
    expect(message).toMatch(/^jsonschema: schema is invalid: .*minLength/);
    expect(failure("json.verify_schema", "{")).toMatch(/^eval_builtin_error: json.verify_schema: /);
    expect(failure("json.verify_schema", 5)).toBe("eval_type_error: json.verify_schema: operand 1 must be one of {object, string} but got number");
  });

  test("match_schema: gojsonschema's error objects with fields and types", () => {
    expect(call("json.match_schema", { id: 5 }, schema)).toEqual([true, []]);
    expect(call("json.match_schema", '{"id": 5}', JSON.stringify(schema))).toEqual([true, []]);
    expect(call("json.match_schema", { id: "foo" }, schema)).toEqual([false, [
      { desc: "Invalid type. Expected: integer, given: string", error: "id: Invalid type. Expected: integer, given: string", field: "id", type: "invalid_type" },
    ]]);
    const [, errors] = call("json.match_schema", { tags: ["a", 1, "c"], extra: true }, schema) as [boolean, Array<Record<string, string>>];
    expect(errors.map((e) => e.error).sort()).toEqual([
      "(root): Additional property extra is not allowed",
      "(root): id is required",
      "tags.1: Invalid type. Expected: string, given: integer",
      "tags: Array must have at most 2 items",
    ]);
    expect(errors.map((e) => e.type).sort()).toEqual(["additional_property_not_allowed", "array_max_items", "invalid_type", "required"]);
  });

  test("match_schema: combinators report one error, not their branches'", () => {
    const anyOf = { properties: { v: { anyOf: [{ type: "string" }, { type: "integer", minimum: 10 }] } } };
    expect(call("json.match_schema", { v: 3 }, anyOf)).toEqual([false, [
      { desc: "Must validate at least one schema (anyOf)", error: "v: Must validate at least one schema (anyOf)", field: "v", type: "number_any_of" },
    ]]);
    expect(call("json.match_schema", { v: 12 }, anyOf)).toEqual([true, []]);
  });

  test("match_schema: an invalid schema is a builtin error", () => {
    expect(failure("json.match_schema", {}, { type: "unknown" })).toBe(
      "eval_builtin_error: json.match_schema: has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]");
  });
});
