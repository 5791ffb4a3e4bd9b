/**
 * Turns the raw `# METADATA` blocks the parser collected into structured `Annotations`, validating them
 * the way OPA does (YAML syntax, field types, scope placement). Problems are `rego_parse_error`
 * diagnostics located at the block (or at the YAML line that failed).
 */
import { createRequire } from "node:module";
import type { parseDocument as ParseDocument } from "yaml";
import type { Diagnostic, SourceSpan } from "../diagnostics.js";
import type {
  AnnotationAuthor,
  Annotations,
  AnnotationScope,
  MetadataBlock,
  Module,
  RelatedResource,
  SchemaAnnotation,
  Term,
} from "../parser/nodes.js";
import { parseQuery } from "../parser/parse-query.js";

/** The yaml package, loaded when a module has a METADATA block (not for every parse: `fleetward parse` starts faster). */
let yamlModule: { parseDocument: typeof ParseDocument } | undefined;
function yamlParseDocument(): typeof ParseDocument {
  yamlModule ??= createRequire(import.meta.url)("yaml") as { parseDocument: typeof ParseDocument };
  return yamlModule.parseDocument;
}

export interface ExtractAnnotationsResult {
  annotations: Annotations[];
  diagnostics: Diagnostic[];
}

const SCOPES: readonly AnnotationScope[] = ["package", "rule", "document", "subpackages"];

class AnnotationError extends Error {}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function optString(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new AnnotationError(`invalid ${key}: expected string, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "list";
  if (v === null) return "null";
  if (typeof v === "object") return "map";
  return typeof v;
}

function describeValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function parseRelatedResource(v: unknown): RelatedResource {
  if (typeof v === "string") {
    if (v.length === 0) throw new AnnotationError("invalid related-resource definition : ref URL may not be empty string");
    return { ref: v };
  }
  if (isRecord(v)) {
    const ref = typeof v.ref === "string" ? v.ref.trim() : "";
    const description = typeof v.description === "string" ? v.description.trim() : "";
    if (ref.length === 0) {
      throw new AnnotationError(`invalid related-resource definition ${describeValue(v)}: 'ref' value required in object`);
    }
    return description ? { ref, description } : { ref };
  }
  throw new AnnotationError(`invalid related-resource definition ${describeValue(v)}: invalid value type, must be string or map`);
}

function parseAuthor(v: unknown): AnnotationAuthor {
  if (typeof v === "string") {
    const parts = v.trim().split(/\s+/).filter((p) => p.length > 0);
    if (parts.length === 0) throw new AnnotationError(`invalid author definition ${v}: author is an empty string`);
    const last = parts[parts.length - 1] as string;
    let email: string | undefined;
    if (last.length >= 2 && last.startsWith("<") && last.endsWith(">")) {
      email = last.slice(1, -1);
      parts.pop();
    }
    const out: AnnotationAuthor = {};
    if (parts.length > 0) out.name = parts.join(" ");
    if (email) out.email = email;
    return out;
  }
  if (isRecord(v)) {
    const name = typeof v.name === "string" ? v.name.trim() : "";
    const email = typeof v.email === "string" ? v.email.trim() : "";
    if (!name && !email) {
      throw new AnnotationError(`invalid author definition ${describeValue(v)}: 'name' and/or 'email' values required in object`);
    }
    const out: AnnotationAuthor = {};
    if (name) out.name = name;
    if (email) out.email = email;
    return out;
  }
  throw new AnnotationError(`invalid author definition ${describeValue(v)}: invalid value type, must be string or map`);
}

/** `input.x["y"]` → `["input", "x", "y"]`; undefined unless a var followed by string selectors. */
export function parseRefPath(text: string): string[] | undefined {
  const r = parseQuery(text, { file: "annotation" });
  const e = r.query?.body.exprs;
  if (r.diagnostics.length > 0 || !e || e.length !== 1) return undefined;
  const x = (e[0] as { expr: Term | { type: string } }).expr;
  if (x.type === "Var") return [(x as { name: string }).name];
  if (x.type !== "Ref") return undefined;
  const ref = x as Extract<Term, { type: "Ref" }>;
  if (ref.head.type !== "Var") return undefined;
  const out = [ref.head.name];
  for (const p of ref.path) {
    if (p.type !== "String") return undefined;
    out.push(p.value);
  }
  return out;
}

function parseSchemas(v: unknown): SchemaAnnotation[] {
  if (!Array.isArray(v)) throw new AnnotationError(`invalid schemas: expected list, got ${describe(v)}`);
  return v.map((pair) => {
    if (!isRecord(pair) || Object.keys(pair).length !== 1) {
      throw new AnnotationError("invalid schema declaration: expected a single-key map");
    }
    const [key, value] = Object.entries(pair)[0] as [string, unknown];
    const path = parseRefPath(key);
    if (!path) throw new AnnotationError("invalid document reference");
    if (typeof value === "string") {
      const schemaRef = parseRefPath(value);
      if (!schemaRef || schemaRef[0] !== "schema") throw new AnnotationError("invalid schema reference");
      return { path, schemaRef };
    }
    if (isRecord(value)) return { path, definition: value };
    throw new AnnotationError(`invalid schema declaration for path "${key}"`);
  });
}

function stringList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw new AnnotationError(`invalid ${field}: expected list of strings`);
  }
  return v as string[];
}

function buildAnnotations(block: MetadataBlock, raw: Record<string, unknown>): Annotations {
  const scopeRaw = optString(raw, "scope");
  const defaultScope: AnnotationScope = block.attachedTo.kind === "package" ? "package" : "rule";
  const scope = (scopeRaw ?? defaultScope) as AnnotationScope;
  if (!SCOPES.includes(scope)) throw new AnnotationError(`invalid annotation scope '${scopeRaw}'`);
  const a: Annotations = { type: "Annotations", span: block.span, scope, attachedTo: block.attachedTo };
  const title = optString(raw, "title");
  if (title !== undefined) a.title = title;
  const description = optString(raw, "description");
  if (description !== undefined) a.description = description;
  if (raw.organizations != null) a.organizations = stringList(raw.organizations, "organizations");
  if (raw.related_resources != null) {
    if (!Array.isArray(raw.related_resources)) throw new AnnotationError("invalid related_resources: expected list");
    a.relatedResources = raw.related_resources.map(parseRelatedResource);
  }
  if (raw.authors != null) {
    if (!Array.isArray(raw.authors)) throw new AnnotationError("invalid authors: expected list");
    a.authors = raw.authors.map(parseAuthor);
  }
  if (raw.schemas != null) a.schemas = parseSchemas(raw.schemas);
  if (raw.entrypoint != null) {
    if (typeof raw.entrypoint !== "boolean") throw new AnnotationError("invalid entrypoint: expected boolean");
    a.entrypoint = raw.entrypoint;
  }
  if (raw.custom != null) {
    if (!isRecord(raw.custom)) throw new AnnotationError("invalid custom: expected map");
    a.custom = raw.custom;
  }
  return a;
}

function placementError(a: Annotations, block: MetadataBlock): string | undefined {
  const have = block.attachedTo.kind === "package" ? " (have package)" : block.attachedTo.kind === "rule" ? " (have rule)" : "";
  switch (a.scope) {
    case "package":
    case "subpackages":
      return block.attachedTo.kind === "package" ? undefined : `annotation scope '${a.scope}' must be applied to package${have}`;
    case "rule":
    case "document":
      return block.attachedTo.kind === "rule" ? undefined : `annotation scope '${a.scope}' must be applied to rule${have}`;
  }
}

/** Parses every METADATA block of `module`. Blocks with errors are left out of `annotations`. */
export function extractAnnotations(module: Module): ExtractAnnotationsResult {
  const annotations: Annotations[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const block of module.metadata) {
    const fail = (message: string, span: SourceSpan = block.span): void => {
      diagnostics.push({ code: "rego_parse_error", message, span });
    };
    if (block.yaml.trim().length === 0) {
      fail("expected METADATA block, found whitespace");
      continue;
    }
    let doc: ReturnType<typeof ParseDocument>;
    try {
      doc = yamlParseDocument()(block.yaml, { uniqueKeys: true });
    } catch (e) {
      fail(`yaml: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const err = doc.errors[0];
    if (err) {
      const reportedLine = err.linePos?.[0]?.line ?? 1;
      // YAML reports some errors at the (virtual) line after the end; point at the last line instead.
      const line = Math.max(1, Math.min(reportedLine, block.lineStarts.length));
      const col = reportedLine === line ? (err.linePos?.[0]?.col ?? 1) : 1;
      const lineStart = block.lineStarts[line - 1];
      let span = block.span;
      if (lineStart !== undefined) {
        const column = (block.lineColumns?.[line - 1] ?? 3) + col - 1;
        const pos = { offset: lineStart + col - 1, line: block.span.start.line + line, column };
        span = { file: block.span.file, start: pos, end: pos };
      }
      fail(`yaml: line ${reportedLine}: ${err.message.split("\n")[0]}`, span);
      continue;
    }
    let raw: unknown;
    try {
      raw = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      fail(`yaml: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!isRecord(raw)) {
      fail(`yaml: unmarshal errors: cannot unmarshal ${describe(raw)} into annotation`);
      continue;
    }
    try {
      const a = buildAnnotations(block, raw);
      const placement = placementError(a, block);
      if (placement) fail(placement);
      else annotations.push(a);
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
  }
  return { annotations, diagnostics };
}

