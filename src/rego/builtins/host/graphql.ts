/**
 * OPA's `graphql.*` builtins on graphql-js: queries and schemas as text or as gqlparser AST objects (what
 * `parse_query`/`parse_schema` return, see graphql-ast.ts), with gqlparser's rules where they differ from
 * graphql-js: an extension of a type that is not defined defines it, a schema needs no query type, an interface
 * cannot implement interfaces, an empty document is valid. Errors read as OPA's:
 * `graphql.parse: <message> in GraphQL string at location <line>:<column>`.
 */
import { createRequire } from "node:module";
import type { DefinitionNode, DocumentNode, GraphQLSchema } from "graphql";
import { Kind } from "graphql/language/kinds.js";
import { builtinError, isObject, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";
import { queryDocumentJson, schemaDocumentJson } from "./graphql-ast.js";
import { printQueryJson, printSchemaJson } from "./graphql-print.js";

/** graphql-js, loaded by the first graphql.* call (it takes a tenth of a second to load: not for every policy). */
let graphqlModule: typeof import("graphql") | undefined;
function gql(): typeof import("graphql") {
  graphqlModule ??= createRequire(import.meta.url)("graphql") as typeof import("graphql");
  return graphqlModule;
}

/** A GraphQL problem with the place it was found. */
class GqlProblem extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

/**
 * gqlparser's wording of a graphql-js message: no "Syntax Error:" prefix, no final period, punctuators unquoted,
 * and the few messages gqlparser words differently (an empty `{}`, a variable in a constant, a misplaced
 * description, an unterminated string); gqlparser places a string token after its opening quote.
 */
function problem(e: unknown): GqlProblem {
  if (e instanceof GqlProblem) return e;
  const message = e instanceof Error ? e.message : String(e);
  const loc = e instanceof gql().GraphQLError ? e.locations?.[0] : undefined;
  const at = e instanceof gql().GraphQLError ? e.positions?.[0] : undefined;
  const body = e instanceof gql().GraphQLError ? e.source?.body ?? "" : "";
  let text = message.replace(/^Syntax Error: /, "").replace(/\.$/, "").replace(/"(\.\.\.|[!$&():=@[\]{|}])"/g, "$1");
  let column = loc?.column ?? 0;
  if (text === "Expected Name, found }" && at !== undefined && body.slice(0, at).trimEnd().endsWith("{")) text = "expected at least one definition, found }";
  else if (/^Unexpected variable "\$\w+" in constant value$/.test(text)) text = "Unexpected $";
  else if (text.startsWith("Unterminated string")) text = "Unexpected <Invalid>";
  else if (text.startsWith("Unexpected description")) {
    const literal = /^"((?:[^"\\]|\\.)*)"/.exec(body.slice(at ?? 0));
    if (literal) text = `Unexpected String "${literal[1] ?? ""}"`;
  }
  if (/(found|Unexpected) String "/.test(text)) column++;
  return new GqlProblem(text, loc?.line ?? 0, column);
}

const EXTENSION_TO_DEFINITION: Partial<Record<Kind, Kind>> = {
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION, [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION, [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION, [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
};

function isExecutable(d: DefinitionNode): boolean {
  return d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION;
}

function parseText(text: string): DocumentNode {
  // gqlparser accepts a document with no definitions (only blanks, commas and comments).
  if (text.replace(/#[^\n\r]*/g, "").replace(/[\s,\uFEFF]/g, "") === "") return { kind: Kind.DOCUMENT, definitions: [] };
  try {
    return gql().parse(text, { allowLegacyFragmentVariables: true });
  } catch (e) {
    throw problem(e);
  }
}

function unexpected(d: DefinitionNode): GqlProblem {
  const loc = d.loc;
  const word = loc ? loc.source.body.slice(loc.start).match(/^[_A-Za-z]\w*|^./)?.[0] ?? "" : "";
  const desc = /^[_A-Za-z]/.test(word) ? `Name "${word}"` : word;
  return new GqlProblem(`Unexpected ${desc}`, loc?.startToken.line ?? 0, loc?.startToken.column ?? 0);
}

function document(name: string, v: Json, want: "query" | "schema"): DocumentNode {
  let text: string;
  if (typeof v === "string") text = v;
  else if (isObject(v)) text = want === "query" ? printQueryJson(v) : printSchemaJson(v);
  else throw typeError(`${name}: operand must be one of {object, string} but got ${typeName(v)}`);
  const doc = parseText(text);
  const wrong = doc.definitions.find((d) => isExecutable(d) !== (want === "query"));
  if (wrong) throw unexpected(wrong);
  return doc;
}

/** The schema of an SDL document with gqlparser's rules, or the first problem. */
function buildSchema(doc: DocumentNode): GraphQLSchema {
  const defined = new Set(doc.definitions.flatMap((d) => ("name" in d && d.name && !d.kind.endsWith("Extension") ? [d.name.value] : [])));
  const definitions = doc.definitions.map((d) => {
    if (d.kind === Kind.INTERFACE_TYPE_DEFINITION && (d.interfaces?.length ?? 0) > 0) {
      throw new GqlProblem(`${d.name.value} is an interface and cannot implement interfaces`, d.loc?.startToken.line ?? 0, d.loc?.startToken.column ?? 0);
    }
    const kind = EXTENSION_TO_DEFINITION[d.kind];
    if (kind === undefined || !("name" in d) || !d.name || defined.has(d.name.value)) return d;
    defined.add(d.name.value);
    return { ...d, kind } as DefinitionNode;
  });
  let schema: GraphQLSchema;
  try {
    schema = gql().buildASTSchema({ ...doc, definitions }, { assumeValidSDL: false });
  } catch (e) {
    throw problem(e);
  }
  const errors = gql().validateSchema(schema).filter((e) => !/^Query root type must be provided/.test(e.message));
  if (errors.length > 0) throw problem(errors[0]);
  return gql().buildASTSchema({ ...doc, definitions }, { assumeValid: true, assumeValidSDL: true });
}

function verify(name: string, query: Json, schemaArg: Json): { q: DocumentNode; s: DocumentNode } {
  const s = document(name, schemaArg, "schema");
  const schema = buildSchema(s);
  const q = document(name, query, "query");
  const errors = gql().validate(schema, q);
  if (errors.length > 0) throw problem(errors[0]);
  return { q, s };
}

/** Runs `f`, turning a GraphQL problem into OPA's builtin error. */
function withErrors<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof GqlProblem)) throw e;
    throw builtinError(`${name}: ${e.message} in GraphQL string at location ${e.line}:${e.column}`);
  }
}

/** Whether `f` succeeds (GraphQL problems are `false`; type errors still throw). */
function succeeds(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (e instanceof GqlProblem) return false;
    throw e;
  }
}

export const graphqlBuiltins: HostBuiltinFamily = {
  "graphql.parse_query": (q) => withErrors("graphql.parse_query", () => queryDocumentJson(document("graphql.parse_query", q, "query"))),
  "graphql.parse_schema": (s) => withErrors("graphql.parse_schema", () => schemaDocumentJson(document("graphql.parse_schema", s, "schema"))),
  "graphql.parse": (q, s) => withErrors("graphql.parse", () => {
    const docs = verify("graphql.parse", q, s);
    return [queryDocumentJson(docs.q), schemaDocumentJson(docs.s)];
  }),
  "graphql.parse_and_verify": (q, s) => {
    let docs: { q: DocumentNode; s: DocumentNode } | undefined;
    if (!succeeds(() => (docs = verify("graphql.parse_and_verify", q, s))) || !docs) return [false, {}, {}];
    return [true, queryDocumentJson(docs.q), schemaDocumentJson(docs.s)];
  },
  "graphql.is_valid": (q, s) => succeeds(() => verify("graphql.is_valid", q, s)),
  "graphql.schema_is_valid": (s) => succeeds(() => buildSchema(document("graphql.schema_is_valid", s, "schema"))),
};
