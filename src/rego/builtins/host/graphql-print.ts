/**
 * GraphQL text from gqlparser's AST JSON (what `graphql.parse_query`/`parse_schema` return), so that the
 * `graphql.*` builtins accept an AST object where OPA does: the object is printed and parsed again.
 */
import type { Json } from "./operands.js";

type Obj = Record<string, Json>;

const list = (v: Json): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const s = (v: Json): string => (typeof v === "string" ? v : "");

function value(v: Obj): string {
  const raw = s(v.Raw);
  switch (v.Kind) {
    case 0: return `$${raw}`;
    case 3: case 4: return JSON.stringify(raw);
    case 8: return `[${list(v.Children).map((c) => value(c.Value as Obj)).join(", ")}]`;
    case 9: return `{${list(v.Children).map((c) => `${s(c.Name)}: ${value(c.Value as Obj)}`).join(", ")}}`;
    default: return raw;
  }
}

function type(t: Obj): string {
  const inner = t.Elem && typeof t.Elem === "object" ? `[${type(t.Elem as Obj)}]` : s(t.NamedType);
  return t.NonNull === true ? `${inner}!` : inner;
}

const args = (v: Json): string => {
  const a = list(v);
  return a.length === 0 ? "" : `(${a.map((x) => `${s(x.Name)}: ${value(x.Value as Obj)}`).join(", ")})`;
};
const directives = (v: Json): string => list(v).map((d) => ` @${s(d.Name)}${args(d.Arguments)}`).join("");
const description = (v: Json): string => (s(v) === "" ? "" : `${JSON.stringify(s(v))} `);

function inputValue(a: Obj): string {
  const dflt = a.DefaultValue && typeof a.DefaultValue === "object" ? ` = ${value(a.DefaultValue as Obj)}` : "";
  return `${description(a.Description)}${s(a.Name)}: ${type(a.Type as Obj)}${dflt}${directives(a.Directives)}`;
}

function argumentDefs(v: Json): string {
  const a = list(v);
  return a.length === 0 ? "" : `(${a.map(inputValue).join(", ")})`;
}

function definition(d: Obj, extend: boolean): string {
  const kind = { OBJECT: "type", INTERFACE: "interface", UNION: "union", ENUM: "enum", INPUT_OBJECT: "input", SCALAR: "scalar" }[s(d.Kind)] ?? "type";
  let out = `${extend ? "extend " : description(d.Description)}${kind} ${s(d.Name)}`;
  const interfaces = list(d.Interfaces) as unknown as string[];
  if (interfaces.length > 0) out += ` implements ${interfaces.join(" & ")}`;
  out += directives(d.Directives);
  const types = list(d.Types) as unknown as string[];
  if (types.length > 0) out += ` = ${types.join(" | ")}`;
  const fields = list(d.Fields);
  if (fields.length > 0) {
    out += ` { ${fields.map((f) => (kind === "input" ? inputValue(f) : `${description(f.Description)}${s(f.Name)}${argumentDefs(f.Arguments)}: ${type(f.Type as Obj)}${directives(f.Directives)}`)).join(" ")} }`;
  }
  const values = list(d.EnumValues);
  if (values.length > 0) out += ` { ${values.map((v) => `${description(v.Description)}${s(v.Name)}${directives(v.Directives)}`).join(" ")} }`;
  return out;
}

function schemaDefinition(d: Obj, extend: boolean): string {
  const ops = list(d.OperationTypes);
  const body = ops.length === 0 ? "" : ` { ${ops.map((o) => `${s(o.Operation)}: ${s(o.Type)}`).join(" ")} }`;
  return `${extend ? "extend " : description(d.Description)}schema${directives(d.Directives)}${body}`;
}

/** SDL text of a gqlparser `SchemaDocument`. */
export function printSchemaJson(doc: Obj): string {
  return [
    ...list(doc.Schema).map((d) => schemaDefinition(d, false)),
    ...list(doc.SchemaExtension).map((d) => schemaDefinition(d, true)),
    ...list(doc.Directives).map((d) => `${description(d.Description)}directive @${s(d.Name)}${argumentDefs(d.Arguments)}${d.IsRepeatable === true ? " repeatable" : ""} on ${(list(d.Locations) as unknown as string[]).join(" | ")}`),
    ...list(doc.Definitions).map((d) => definition(d, false)),
    ...list(doc.Extensions).map((d) => definition(d, true)),
  ].join("\n");
}

function selections(v: Json): string {
  const set = list(v);
  if (set.length === 0) return "";
  return ` { ${set.map((x) => {
    if ("Alias" in x) {
      const alias = s(x.Alias) !== "" && x.Alias !== x.Name ? `${s(x.Alias)}: ` : "";
      return `${alias}${s(x.Name)}${args(x.Arguments)}${directives(x.Directives)}${selections(x.SelectionSet)}`;
    }
    if ("TypeCondition" in x) return `...${s(x.TypeCondition) === "" ? "" : ` on ${s(x.TypeCondition)}`}${directives(x.Directives)}${selections(x.SelectionSet)}`;
    return `...${s(x.Name)}${directives(x.Directives)}`;
  }).join(" ")} }`;
}

function variables(v: Json): string {
  const vars = list(v);
  if (vars.length === 0) return "";
  return `(${vars.map((x) => `$${s(x.Variable)}: ${type(x.Type as Obj)}${x.DefaultValue && typeof x.DefaultValue === "object" ? ` = ${value(x.DefaultValue as Obj)}` : ""}${directives(x.Directives)}`).join(", ")})`;
}

/** Query text of a gqlparser `QueryDocument`. */
export function printQueryJson(doc: Obj): string {
  return [
    ...list(doc.Operations).map((o) => `${s(o.Operation) || "query"}${s(o.Name) === "" ? "" : ` ${s(o.Name)}`}${variables(o.VariableDefinitions)}${directives(o.Directives)}${selections(o.SelectionSet)}`),
    ...list(doc.Fragments).map((f) => `fragment ${s(f.Name)}${variables(f.VariableDefinition)} on ${s(f.TypeCondition)}${directives(f.Directives)}${selections(f.SelectionSet)}`),
  ].join("\n");
}
