/**
 * graphql-js documents as the JSON of gqlparser's AST (the Go library OPA's `graphql.*` builtins use): Go field names,
 * empty lists and nil pointers left out, positions dropped, values as `{Raw, Kind, Children, ExpectedTypeHasDefault}`
 * with gqlparser's value kinds.
 */
import type { ArgumentNode, ConstDirectiveNode, DirectiveNode, DocumentNode, FieldDefinitionNode, InputValueDefinitionNode, SelectionSetNode, TypeNode, ValueNode, VariableDefinitionNode } from "graphql";
import { Kind } from "graphql/language/kinds.js";
import type { Json } from "./operands.js";

type Obj = Record<string, Json>;

/** gqlparser's ValueKind numbers. */
const VALUE_KINDS: Partial<Record<Kind, number>> = {
  [Kind.VARIABLE]: 0, [Kind.INT]: 1, [Kind.FLOAT]: 2, [Kind.STRING]: 3, [Kind.BOOLEAN]: 5, [Kind.NULL]: 6, [Kind.ENUM]: 7, [Kind.LIST]: 8, [Kind.OBJECT]: 9,
};

const DEFINITION_KINDS: Partial<Record<Kind, string>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: "OBJECT", [Kind.OBJECT_TYPE_EXTENSION]: "OBJECT",
  [Kind.INTERFACE_TYPE_DEFINITION]: "INTERFACE", [Kind.INTERFACE_TYPE_EXTENSION]: "INTERFACE",
  [Kind.UNION_TYPE_DEFINITION]: "UNION", [Kind.UNION_TYPE_EXTENSION]: "UNION",
  [Kind.ENUM_TYPE_DEFINITION]: "ENUM", [Kind.ENUM_TYPE_EXTENSION]: "ENUM",
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: "INPUT_OBJECT", [Kind.INPUT_OBJECT_TYPE_EXTENSION]: "INPUT_OBJECT",
  [Kind.SCALAR_TYPE_DEFINITION]: "SCALAR", [Kind.SCALAR_TYPE_EXTENSION]: "SCALAR",
};

/** Sets `key` only when the list is not empty (Go's omitempty). */
function withList(o: Obj, key: string, list: readonly Json[] | undefined): Obj {
  if (list && list.length > 0) o[key] = list as Json[];
  return o;
}

function value(v: ValueNode): Obj {
  const o: Obj = { ExpectedTypeHasDefault: false, Kind: VALUE_KINDS[v.kind] ?? 0, Raw: "" };
  switch (v.kind) {
    case Kind.VARIABLE: o.Raw = v.name.value; break;
    case Kind.INT: case Kind.FLOAT: case Kind.ENUM: o.Raw = v.value; break;
    case Kind.STRING: o.Raw = v.value; if (v.block) o.Kind = 4; break;
    case Kind.BOOLEAN: o.Raw = String(v.value); break;
    case Kind.NULL: o.Raw = "null"; break;
    case Kind.LIST: withList(o, "Children", v.values.map((x) => ({ Name: "", Value: value(x) }))); break;
    case Kind.OBJECT: withList(o, "Children", v.fields.map((f) => ({ Name: f.name.value, Value: value(f.value) }))); break;
  }
  return o;
}

function type(t: TypeNode, nonNull = false): Obj {
  if (t.kind === Kind.NON_NULL_TYPE) return type(t.type, true);
  if (t.kind === Kind.LIST_TYPE) return { Elem: type(t.type), NamedType: "", NonNull: nonNull };
  return { NamedType: t.name.value, NonNull: nonNull };
}

function args(list: readonly ArgumentNode[] | undefined): Json[] | undefined {
  return list?.map((a) => ({ Name: a.name.value, Value: value(a.value) }));
}

function directives(list: readonly (DirectiveNode | ConstDirectiveNode)[] | undefined): Json[] | undefined {
  return list?.map((d) => withList({ Location: "", Name: d.name.value }, "Arguments", args(d.arguments)));
}

function inputValue(a: InputValueDefinitionNode): Obj {
  const o: Obj = { Description: a.description?.value ?? "", Name: a.name.value, Type: type(a.type) };
  if (a.defaultValue) o.DefaultValue = value(a.defaultValue);
  return withList(o, "Directives", directives(a.directives));
}

function field(f: FieldDefinitionNode): Obj {
  const o: Obj = { Description: f.description?.value ?? "", Name: f.name.value, Type: type(f.type) };
  withList(o, "Arguments", f.arguments?.map(inputValue));
  return withList(o, "Directives", directives(f.directives));
}

function selections(set: SelectionSetNode | undefined): Json[] | undefined {
  return set?.selections.map((s) => {
    if (s.kind === Kind.FIELD) {
      const o: Obj = { Alias: s.alias?.value ?? s.name.value, Name: s.name.value };
      withList(o, "Arguments", args(s.arguments));
      withList(o, "Directives", directives(s.directives));
      return withList(o, "SelectionSet", selections(s.selectionSet));
    }
    if (s.kind === Kind.FRAGMENT_SPREAD) return withList({ Name: s.name.value }, "Directives", directives(s.directives));
    const o: Obj = { TypeCondition: s.typeCondition?.name.value ?? "" };
    withList(o, "Directives", directives(s.directives));
    return withList(o, "SelectionSet", selections(s.selectionSet));
  });
}

function variable(v: VariableDefinitionNode): Obj {
  const o: Obj = { Type: type(v.type), Used: false, Variable: v.variable.name.value };
  if (v.defaultValue) o.DefaultValue = value(v.defaultValue);
  return withList(o, "Directives", directives(v.directives));
}

/** A query document as gqlparser's `QueryDocument` JSON. */
export function queryDocumentJson(doc: DocumentNode): Obj {
  const operations: Json[] = [];
  const fragments: Json[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) {
      const o: Obj = { Name: d.name?.value ?? "", Operation: d.operation };
      withList(o, "VariableDefinitions", d.variableDefinitions?.map(variable));
      withList(o, "Directives", directives(d.directives));
      operations.push(withList(o, "SelectionSet", selections(d.selectionSet)));
    } else if (d.kind === Kind.FRAGMENT_DEFINITION) {
      const o: Obj = { Name: d.name.value, TypeCondition: d.typeCondition.name.value };
      withList(o, "VariableDefinition", d.variableDefinitions?.map(variable));
      withList(o, "Directives", directives(d.directives));
      fragments.push(withList(o, "SelectionSet", selections(d.selectionSet)));
    }
  }
  return withList(withList({}, "Operations", operations), "Fragments", fragments);
}

/** A schema document as gqlparser's `SchemaDocument` JSON. */
export function schemaDocumentJson(doc: DocumentNode): Obj {
  const out: Record<string, Json[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
  for (const d of doc.definitions) {
    if (d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION) {
      const o: Obj = { Description: d.kind === Kind.SCHEMA_DEFINITION ? d.description?.value ?? "" : "" };
      withList(o, "Directives", directives(d.directives));
      withList(o, "OperationTypes", d.operationTypes?.map((t) => ({ Operation: t.operation, Type: t.type.name.value })));
      (d.kind === Kind.SCHEMA_DEFINITION ? out.Schema : out.SchemaExtension)?.push(o);
    } else if (d.kind === Kind.DIRECTIVE_DEFINITION) {
      const o: Obj = { Description: d.description?.value ?? "", IsRepeatable: d.repeatable, Locations: d.locations.map((l) => l.value), Name: d.name.value };
      out.Directives?.push(withList(o, "Arguments", d.arguments?.map(inputValue)));
    } else {
      const kind = DEFINITION_KINDS[d.kind];
      if (kind === undefined || !("name" in d) || d.name === undefined) continue;
      const o: Obj = { BuiltIn: false, Description: "description" in d ? d.description?.value ?? "" : "", Kind: kind, Name: d.name.value };
      if ("directives" in d) withList(o, "Directives", directives(d.directives));
      if ("interfaces" in d) withList(o, "Interfaces", d.interfaces?.map((i) => i.name.value));
      if ("fields" in d) withList(o, "Fields", d.fields?.map((f: FieldDefinitionNode | InputValueDefinitionNode) => (f.kind === Kind.FIELD_DEFINITION ? field(f) : inputValue(f))));
      if ("types" in d) withList(o, "Types", d.types?.map((t) => t.name.value));
      if ("values" in d) withList(o, "EnumValues", d.values?.map((v) => withList({ Description: v.description?.value ?? "", Name: v.name.value }, "Directives", directives(v.directives))));
      (d.kind.endsWith("Extension") ? out.Extensions : out.Definitions)?.push(o);
    }
  }
  const result: Obj = {};
  for (const [k, v] of Object.entries(out)) withList(result, k, v);
  return result;
}
