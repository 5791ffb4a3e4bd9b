import { call, failure } from "./call-host-builtin.js";

const schema = `
  type Employee { id: String! salary: Int! }
  schema { query: Query }
  type Query { employeeByID(id: String): Employee }
`;

describe("graphql builtins", () => {
  test("parse_query: gqlparser's AST as JSON (aliases, arguments, values, fragments)", () => {
    expect(call("graphql.parse_query", `query Q($n: [Int!]! = [1]) { a: node(id: $n, s: """b""", o: {k: ENUM}) @skip(if: false) { ...F ... on T { x } } } fragment F on T { y }`)).toEqual({
      Operations: [{
        Name: "Q", Operation: "query",
        VariableDefinitions: [{
          DefaultValue: { Children: [{ Name: "", Value: { ExpectedTypeHasDefault: false, Kind: 1, Raw: "1" } }], ExpectedTypeHasDefault: false, Kind: 8, Raw: "" },
          Type: { Elem: { NamedType: "Int", NonNull: true }, NamedType: "", NonNull: true }, Used: false, Variable: "n",
        }],
        SelectionSet: [{
          Alias: "a", Name: "node",
          Arguments: [
            { Name: "id", Value: { ExpectedTypeHasDefault: false, Kind: 0, Raw: "n" } },
            { Name: "s", Value: { ExpectedTypeHasDefault: false, Kind: 4, Raw: "b" } },
            { Name: "o", Value: { Children: [{ Name: "k", Value: { ExpectedTypeHasDefault: false, Kind: 7, Raw: "ENUM" } }], ExpectedTypeHasDefault: false, Kind: 9, Raw: "" } },
          ],
          Directives: [{ Arguments: [{ Name: "if", Value: { ExpectedTypeHasDefault: false, Kind: 5, Raw: "false" } }], Location: "", Name: "skip" }],
          SelectionSet: [{ Name: "F" }, { SelectionSet: [{ Alias: "x", Name: "x" }], TypeCondition: "T" }],
        }],
      }],
      Fragments: [{ Name: "F", SelectionSet: [{ Alias: "y", Name: "y" }], TypeCondition: "T" }],
    });
    expect(call("graphql.parse_query", "  # nothing\n")).toEqual({});
  });

  test("parse_schema: definitions, extensions, directives and schema definitions", () => {
    expect(call("graphql.parse_schema", `"D" type A implements I @x { f(a: Int = 1): [A] } extend union U = A | B directive @d repeatable on FIELD | QUERY schema { query: A }`)).toEqual({
      Definitions: [{
        BuiltIn: false, Description: "D", Kind: "OBJECT", Name: "A", Interfaces: ["I"], Directives: [{ Location: "", Name: "x" }],
        Fields: [{ Arguments: [{ DefaultValue: { ExpectedTypeHasDefault: false, Kind: 1, Raw: "1" }, Description: "", Name: "a", Type: { NamedType: "Int", NonNull: false } }], Description: "", Name: "f", Type: { Elem: { NamedType: "A", NonNull: false }, NamedType: "", NonNull: false } }],
      }],
      Extensions: [{ BuiltIn: false, Description: "", Kind: "UNION", Name: "U", Types: ["A", "B"] }],
      Directives: [{ Description: "", IsRepeatable: true, Locations: ["FIELD", "QUERY"], Name: "d" }],
      Schema: [{ Description: "", OperationTypes: [{ Operation: "query", Type: "A" }] }],
    });
  });

  test("parse errors read as OPA's, with gqlparser's wording and location", () => {
    expect(failure("graphql.parse_query", "{")).toBe("eval_builtin_error: graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2");
    expect(failure("graphql.parse_query", "{ field: {} }")).toBe("eval_builtin_error: graphql.parse_query: Expected Name, found { in GraphQL string at location 1:10");
    expect(failure("graphql.parse_schema", "type Hello {}")).toBe("eval_builtin_error: graphql.parse_schema: expected at least one definition, found } in GraphQL string at location 1:13");
    expect(failure("graphql.parse_schema", '\n  "Description"\n  extend type Hello { world: String }')).toBe('eval_builtin_error: graphql.parse_schema: Unexpected String "Description" in GraphQL string at location 2:4');
    expect(failure("graphql.parse_query", "query Foo($x: C = { a: $var }) { f }")).toBe("eval_builtin_error: graphql.parse_query: Unexpected $ in GraphQL string at location 1:24");
    expect(failure("graphql.parse_query", "type A { f: Int }")).toBe('eval_builtin_error: graphql.parse_query: Unexpected Name "type" in GraphQL string at location 1:1');
    expect(failure("graphql.parse_query", 5)).toMatch(/^eval_type_error: graphql.parse_query: operand must be one of \{object, string\}/);
  });

  test("is_valid, parse_and_verify and parse validate queries against schemas, as text or AST objects", () => {
    const query = `query { employeeByID(id: "alice") { salary } }`;
    expect(call("graphql.is_valid", query, schema)).toBe(true);
    expect(call("graphql.is_valid", call("graphql.parse_query", query), call("graphql.parse_schema", schema))).toBe(true);
    expect(call("graphql.is_valid", `{ employeeByID(id: "a") { bonus } }`, schema)).toBe(false);
    expect(call("graphql.parse_and_verify", `{ nope }`, schema)).toEqual([false, {}, {}]);
    const [ok, q, s] = call("graphql.parse_and_verify", query, schema) as [boolean, unknown, unknown];
    expect([ok, q, s]).toEqual([true, call("graphql.parse_query", query), call("graphql.parse_schema", schema)]);
    expect(failure("graphql.parse", `{ employeeByID { salary bonus } }`, schema)).toBe(
      'eval_builtin_error: graphql.parse: Cannot query field "bonus" on type "Employee" in GraphQL string at location 1:25');
  });

  test("schema_is_valid with gqlparser's rules", () => {
    expect(call("graphql.schema_is_valid", schema)).toBe(true);
    // No query type needed; an extension of an undefined type defines it.
    expect(call("graphql.schema_is_valid", "type Hello { world: String }")).toBe(true);
    expect(call("graphql.schema_is_valid", "extend type Query { x: Int } union U = Query")).toBe(true);
    expect(call("graphql.schema_is_valid", "extend type Hello implements Greeting")).toBe(false);
    expect(call("graphql.schema_is_valid", "interface A { id: ID! } interface B implements A { id: ID! }")).toBe(false);
    expect(call("graphql.schema_is_valid", "union Hello = World")).toBe(false);
    expect(call("graphql.schema_is_valid", "type Q { p: P } type P { x: Int } input I { p: P }")).toBe(false);
    expect(call("graphql.schema_is_valid", "type Hello {}")).toBe(false);
  });
});
