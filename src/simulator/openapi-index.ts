/**
 * Loads GitHub's published OpenAPI description (from `@octokit/openapi`) once per process, lazily,
 * matches requests to operations and validates parameters, request bodies and responses with ajv.
 * Compiled validators are cached per operation.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv, type ValidateFunction, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonObject;
  multiSegment: boolean;
}

export interface OpenApiOperation {
  operationId: string;
  method: string;
  template: string;
  parameters: OpenApiParameter[];
  hasJsonBody: boolean;
  bodyRequired: boolean;
  /** Pointer (inside the description) of each operation, used to compile validators lazily. */
  pointer: string;
  responseStatuses: string[];
  /** Status → media types described for the response. */
  responseMediaTypes: Record<string, string[]>;
}

export interface OperationMatch {
  operation: OpenApiOperation;
  pathParams: Record<string, string>;
}

export interface ValidationProblem {
  where: "path" | "query" | "body" | "response";
  message: string;
}

interface Route {
  operation: OpenApiOperation;
  regex: RegExp;
  names: string[];
  literalSegments: number;
  multiSegments: number;
}

const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head"] as const;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema (ajv's own `nullable` needs `type` next to it, which GitHub's description does not always give). */
function convertNullable(node: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) convertNullable(item);
    return;
  }
  if (!isObject(node)) return;
  for (const value of Object.values(node)) convertNullable(value);
  if (node["nullable"] !== true) return;
  delete node["nullable"];
  const type = node["type"];
  if (typeof type === "string") {
    node["type"] = [type, "null"];
    const en = node["enum"];
    if (Array.isArray(en) && !en.includes(null)) en.push(null);
    return;
  }
  const inner: JsonObject = { ...node };
  for (const key of Object.keys(node)) delete node[key];
  node["anyOf"] = [inner, { type: "null" }];
}

/**
 * Operations whose described response GitHub itself does not follow: `apps/list-installations` describes
 * `account` as simple-user AND enterprise (allOf), which no real account object satisfies.
 */
const RESPONSE_SCHEMA_QUIRKS = new Set(["apps/list-installations"]);

/** Maps whose keys are names (a property called "description" must stay). */
const NAME_MAPS = new Set(["properties", "patternProperties", "schemas", "paths", "responses", "content", "headers", "parameters", "requestBodies", "securitySchemes", "definitions"]);
/** Documentation-only keywords, dropped from the cached copy of the description. */
const DOC_KEYS = new Set(["description", "examples", "example", "summary", "externalDocs", "x-github", "tags", "title"]);

function stripDocs(node: Json, parentKey: string | undefined): Json {
  if (Array.isArray(node)) return node.map((n) => stripDocs(n, undefined));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  const keepAll = parentKey !== undefined && NAME_MAPS.has(parentKey);
  for (const [k, v] of Object.entries(node)) {
    if (!keepAll && DOC_KEYS.has(k)) continue;
    out[k] = stripDocs(v, k);
  }
  return out;
}

/**
 * GitHub's description (13 MB) with `nullable` converted and documentation stripped (3 MB), cached in the
 * OS temp directory keyed by the package version and file size, so each test process parses the small copy.
 */
function loadDescription(): JsonObject {
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const version = (JSON.parse(readFileSync(require.resolve("@octokit/openapi/package.json"), "utf8")) as { version?: string }).version ?? "0";
  const cache = join(tmpdir(), `fleetward-sim-openapi-${version}-${statSync(file).size}.json`);
  try {
    return JSON.parse(readFileSync(cache, "utf8")) as JsonObject;
  } catch {
    // not cached yet (or unreadable): build it
  }
  const spec = JSON.parse(readFileSync(file, "utf8")) as Json;
  convertNullable(spec);
  const stripped = stripDocs(spec, undefined);
  if (!isObject(stripped)) throw new Error("@octokit/openapi: unexpected description format");
  try {
    const temp = `${cache}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(stripped));
    renameSync(temp, cache);
  } catch {
    // a read-only temp dir only costs speed
  }
  return stripped;
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${e.params && "allowedValues" in e.params ? ` (${JSON.stringify(e.params["allowedValues"])})` : ""}`)
    .join("; ");
}

export class OpenApiIndex {
  private static shared: OpenApiIndex | undefined;
  /** Milliseconds spent reading, parsing and indexing the description (measured once per process). */
  readonly loadMs: number;
  private readonly routes = new Map<string, Route[]>();
  private readonly byId = new Map<string, OpenApiOperation>();
  private readonly ajv: Ajv;
  private readonly paramAjv: Ajv;
  private readonly validators = new Map<string, ValidateFunction | null>();
  private readonly components: JsonObject;

  /** The process-wide instance; the description is parsed on first use only. */
  static get(): OpenApiIndex {
    OpenApiIndex.shared ??= new OpenApiIndex();
    return OpenApiIndex.shared;
  }

  private constructor() {
    const started = performance.now();
    const spec = loadDescription();
    const components = spec["components"];
    this.components = isObject(components) ? components : {};
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    this.ajv = new Ajv({ strict: false, validateSchema: false, allErrors: false, inlineRefs: false, logger: false });
    addFormats(this.ajv);
    this.paramAjv = new Ajv({ strict: false, validateSchema: false, coerceTypes: true, allErrors: true, logger: false });
    addFormats(this.paramAjv);
    this.ajv.addSchema(spec, "gh");
    const paths = spec["paths"];
    if (isObject(paths)) {
      for (const [template, item] of Object.entries(paths)) {
        if (!isObject(item)) continue;
        for (const method of HTTP_METHODS) {
          const op = item[method];
          if (!isObject(op)) continue;
          this.addOperation(template, method, item, op);
        }
      }
    }
    for (const list of this.routes.values()) {
      list.sort((a, b) => b.literalSegments - a.literalSegments || a.multiSegments - b.multiSegments);
    }
    this.loadMs = performance.now() - started;
  }

  private resolveParameter(p: Json): JsonObject | undefined {
    if (!isObject(p)) return undefined;
    const ref = p["$ref"];
    if (typeof ref === "string") {
      const name = ref.replace("#/components/parameters/", "");
      const params = this.components["parameters"];
      const found = isObject(params) ? params[name] : undefined;
      return isObject(found) ? found : undefined;
    }
    return p;
  }

  private addOperation(template: string, method: string, item: JsonObject, op: JsonObject): void {
    const rawParams = [...(Array.isArray(item["parameters"]) ? item["parameters"] : []), ...(Array.isArray(op["parameters"]) ? op["parameters"] : [])];
    const parameters: OpenApiParameter[] = [];
    for (const raw of rawParams) {
      const p = this.resolveParameter(raw);
      if (!p) continue;
      const schema = p["schema"];
      parameters.push({
        name: String(p["name"]),
        in: p["in"] as OpenApiParameter["in"],
        required: p["required"] === true,
        schema: isObject(schema) ? schema : {},
        multiSegment: p["x-multi-segment"] === true,
      });
    }
    const body = op["requestBody"];
    const content = isObject(body) ? body["content"] : undefined;
    const responses = op["responses"];
    const operation: OpenApiOperation = {
      operationId: String(op["operationId"]),
      method: method.toUpperCase(),
      template,
      parameters,
      hasJsonBody: isObject(content) && isObject(content["application/json"]),
      bodyRequired: isObject(body) && body["required"] === true,
      pointer: `gh#/paths/${escapePointer(template)}/${method}`,
      responseStatuses: isObject(responses) ? Object.keys(responses) : [],
      responseMediaTypes: isObject(responses)
        ? Object.fromEntries(
            Object.entries(responses).map(([code, r]) => {
              const c = isObject(r) ? r["content"] : undefined;
              return [code, isObject(c) ? Object.keys(c) : []];
            }),
          )
        : {},
    };
    const names: string[] = [];
    let literalSegments = 0;
    let multiSegments = 0;
    const pattern = template
      .split("/")
      .map((segment) => {
        const whole = /^\{([^}]+)\}$/.exec(segment);
        if (whole?.[1]) {
          names.push(whole[1]);
          const multi = parameters.some((p) => p.in === "path" && p.name === whole[1] && p.multiSegment);
          if (multi) multiSegments++;
          return multi ? "(.*)" : "([^/]+)";
        }
        literalSegments++;
        return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
          names.push(name);
          return "([^/]+)";
        });
      })
      .join("/");
    const route: Route = { operation, regex: new RegExp(`^${pattern}$`), names, literalSegments, multiSegments };
    const list = this.routes.get(operation.method) ?? [];
    list.push(route);
    this.routes.set(operation.method, list);
    this.byId.set(operation.operationId, operation);
  }

  /** Operation for a method and a path (no query string, no `/api/v3` prefix). */
  match(method: string, path: string): OperationMatch | undefined {
    for (const route of this.routes.get(method.toUpperCase()) ?? []) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const raw = m[i + 1] ?? "";
        try {
          pathParams[name] = decodeURIComponent(raw);
        } catch {
          pathParams[name] = raw;
        }
      });
      return { operation: route.operation, pathParams };
    }
    return undefined;
  }

  /** Whether any method is described for this path (to tell 404 from a wrong method). */
  knowsPath(path: string): boolean {
    for (const list of this.routes.values()) if (list.some((r) => r.regex.test(path))) return true;
    return false;
  }

  operation(operationId: string): OpenApiOperation | undefined {
    return this.byId.get(operationId);
  }

  private compiled(key: string, build: () => ValidateFunction | null): ValidateFunction | null {
    if (!this.validators.has(key)) this.validators.set(key, build());
    return this.validators.get(key) ?? null;
  }

  /** Validates path + query parameters (query values are strings, coerced as GitHub does). */
  validateParameters(op: OpenApiOperation, pathParams: Record<string, string>, query: Record<string, string | string[]>): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    for (const where of ["path", "query"] as const) {
      const params = op.parameters.filter((p) => p.in === where);
      const validate = this.compiled(`${op.operationId}:${where}`, () => {
        const properties: Record<string, JsonObject> = {};
        for (const p of params) properties[p.name] = p.schema;
        const required = params.filter((p) => p.required).map((p) => p.name);
        return this.paramAjv.compile({ type: "object", properties, required });
      });
      if (!validate) continue;
      const values: Record<string, string | string[]> = {};
      const source = where === "path" ? pathParams : query;
      for (const p of params) {
        const v = source[p.name];
        if (v !== undefined) values[p.name] = p.schema["type"] === "array" || !Array.isArray(v) ? v : (v[v.length - 1] ?? "");
      }
      if (!validate(values)) problems.push({ where, message: formatErrors(validate.errors) });
    }
    return problems;
  }

  validateBody(op: OpenApiOperation, body: unknown): ValidationProblem[] {
    if (!op.hasJsonBody) return [];
    if (body === undefined) return op.bodyRequired ? [{ where: "body", message: "a request body is required" }] : [];
    const validate = this.compiled(`${op.operationId}:body`, () =>
      this.ajv.compile({ $ref: `${op.pointer}/requestBody/content/application~1json/schema` }),
    );
    if (validate && !validate(body)) return [{ where: "body", message: formatErrors(validate.errors) }];
    return [];
  }

  /**
   * Validates a response body against the description of that status. `accept` picks a described vendor media type
   * (e.g. `application/vnd.github.object`) when the request asked for it; otherwise `application/json` is used.
   */
  validateResponse(op: OpenApiOperation, status: number, body: unknown, accept = "application/json"): ValidationProblem[] {
    if (RESPONSE_SCHEMA_QUIRKS.has(op.operationId)) return [];
    const code = String(status);
    if (!op.responseStatuses.includes(code)) {
      return status >= 400 ? [] : [{ where: "response", message: `status ${code} is not described for ${op.operationId}` }];
    }
    const described = op.responseMediaTypes[code] ?? [];
    const media = described.find((m) => m !== "application/json" && accept.includes(m)) ?? "application/json";
    if (!described.includes(media)) return [];
    const validate = this.compiled(`${op.operationId}:response:${code}:${media}`, () => {
      try {
        return this.ajv.compile({ $ref: `${op.pointer}/responses/${code}/content/${escapePointer(media)}/schema` });
      } catch {
        return null;
      }
    });
    if (validate && !validate(body)) return [{ where: "response", message: formatErrors(validate.errors) }];
    return [];
  }
}
