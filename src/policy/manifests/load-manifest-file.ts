import { CORE_SCHEMA, constructFromEvents, parseEvents, YAMLException, type Event } from "js-yaml";
import { acceptGoYamlIndentation, GO_YAML_V2_SCHEMA } from "./go-yaml-dialect.js";
import { LineIndex, linesAtOffsets } from "./line-index.js";
import { splitDocuments } from "./split-documents.js";
import { parseFieldPath } from "./field-path.js";
import { measureExpandedSize } from "./measure-expanded-size.js";
import { jsonDocument, parseJsonText } from "./json-document.js";
import { parsePlainYaml, PLAIN_YAML_MAX_DEPTH } from "./plain-yaml.js";
import { buildPositionIndex, documentStartOffsets, pathKey } from "./yaml-position-index.js";
import {
  DEFAULT_MANIFEST_LIMITS,
  type FieldLocation,
  type FieldPathSegment,
  type JsonObject,
  type ManifestDiagnostic,
  type ManifestDiagnosticCode,
  type ManifestDocument,
  type ManifestFile,
  type ManifestFileResult,
  type ManifestLimits,
  type SkipReason,
} from "./manifest-types.js";


function diagnosticFromError(file: string, err: unknown): ManifestDiagnostic {
  let reason = err instanceof Error ? err.message : String(err);
  let line = 1;
  let column = 1;
  if (err instanceof YAMLException) {
    reason = err.reason;
    if (err.mark !== undefined) {
      line = err.mark.line + 1;
      column = err.mark.column + 1;
    }
  }
  let code: ManifestDiagnosticCode = "manifest_yaml_syntax";
  if (/maxAliases/.test(reason)) code = "manifest_alias_limit";
  else if (/maxDepth/.test(reason)) code = "manifest_depth_limit";
  else if (/duplicated mapping key/.test(reason)) code = "manifest_duplicate_key";
  return { code, severity: "error", message: reason, file, line, column };
}

function isJsonFile(path: string): boolean {
  return /\.json$/i.test(path);
}

function skipReason(value: unknown): SkipReason | undefined {
  if (value === null || value === undefined) return "empty";
  if (typeof value !== "object" || Array.isArray(value)) return "not-an-object";
  const obj = value as JsonObject;
  if (typeof obj.apiVersion !== "string" || obj.apiVersion === "") return "missing-api-version";
  if (typeof obj.kind !== "string" || obj.kind === "") return "missing-kind";
  return undefined;
}

/**
 * Loads one manifest file: every YAML document (or the one JSON document) becomes a ManifestDocument with its file,
 * index and start line; documents that are not Kubernetes objects are skipped with a reason. Errors and exceeded
 * limits become diagnostics with file/line/column; nothing throws. Field positions are computed lazily: the file is
 * parsed again, once, the first time `locate` is called on one of its documents.
 */
export function loadManifestFile(file: ManifestFile, limits: Partial<ManifestLimits> = {}, options: { values?: boolean } = {}): ManifestFileResult {
  const lim: ManifestLimits = { ...DEFAULT_MANIFEST_LIMITS, ...limits };
  const result: ManifestFileResult = { documents: [], skipped: [], diagnostics: [] };
  const text = file.content;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > lim.maxFileBytes) {
    result.diagnostics.push({
      code: "manifest_file_too_large",
      severity: "error",
      message: `file is ${bytes} bytes, more than the limit of ${lim.maxFileBytes}`,
      file: file.path,
      line: 1,
      column: 1,
    });
    return result;
  }

  const json = isJsonFile(file.path);
  let jsonValue: { value: unknown } | undefined;
  if (json) {
    // JSON files must be strict JSON (YAML would accept `{"a": }`); V8 reports a position for most errors.
    const parsed = parseJsonText(text);
    if ("value" in parsed) jsonValue = parsed;
    else {
      const at = new LineIndex(file.path, text).locate(parsed.offset);
      result.diagnostics.push({
        code: "manifest_json_syntax",
        severity: "error",
        message: parsed.message,
        file: file.path,
        line: at.line,
        column: at.column,
      });
      return result;
    }
  }
  if (loadYamlText(file.path, text, json, lim, 0, result, options.values === true, jsonValue) >= 0 || json) return result;

  // One broken document should not hide the others: parse the documents one by one (split at `---` lines, each
  // chunk preceded by as many newlines as lines before it, so lines and columns stay those of the file).
  const chunks = splitDocuments(text);
  if (chunks.length < 2) return result;
  if (chunks.length > lim.maxDocumentsPerFile) return result;
  result.diagnostics = [];
  let index = 0;
  for (const chunk of chunks) {
    const n = loadYamlText(file.path, "\n".repeat(chunk.line - 1) + chunk.text, false, lim, index, result);
    index += n < 0 ? 1 : n;
  }
  return result;
}

/**
 * Parses YAML (or JSON) text and adds its documents, numbered from `indexBase`, to `result`. Returns how many
 * documents the text has, or -1 when it could not be parsed (a diagnostic was added).
 */
function loadYamlText(
  path: string,
  given: string,
  json: boolean,
  lim: ManifestLimits,
  indexBase: number,
  result: ManifestFileResult,
  keepValues = false,
  jsonValue?: { value: unknown },
): number {
  let values: unknown[];
  let startLines: number[];
  let text = given;
  // Most manifests are plain block YAML, read by the fast path exactly as js-yaml reads them (plain-yaml.ts); JSON
  // files were parsed already (json-document.ts).
  const fast = lim.maxDepth > PLAIN_YAML_MAX_DEPTH + 2;
  const plain = !fast ? undefined : jsonValue !== undefined ? jsonDocument(given, jsonValue.value, PLAIN_YAML_MAX_DEPTH) : json ? undefined : parsePlainYaml(given);
  if (plain !== undefined) ({ values, startLines } = plain);
  else {
    let events: Event[];
    try {
      // YAML is read as Kubernetes reads it (sigs.k8s.io/yaml: go-yaml v2 scalars and indentation, see go-yaml-dialect.ts); JSON strictly.
      if (json) events = parseEvents(text, { filename: path, maxDepth: lim.maxDepth });
      else ({ value: events, text } = acceptGoYamlIndentation(given, (t) => parseEvents(t, { filename: path, maxDepth: lim.maxDepth })));
      values = constructFromEvents(events, { source: text, filename: path, json, maxAliases: lim.maxAliases, schema: json ? CORE_SCHEMA : GO_YAML_V2_SCHEMA });
    } catch (err) {
      result.diagnostics.push(diagnosticFromError(path, err));
      return -1;
    }
    // The event stream is not kept: positions (and the line index they need) are rebuilt lazily from the text.
    startLines = linesAtOffsets(text, documentStartOffsets(events, text));
  }

  if (values.length > lim.maxDocumentsPerFile) {
    result.diagnostics.push({
      code: "manifest_too_many_documents",
      severity: "error",
      message: `file has ${values.length} documents, more than the limit of ${lim.maxDocumentsPerFile}`,
      file: path,
      line: 1,
      column: 1,
    });
    return -1;
  }
  if (keepValues) result.values = values;

  let positions: Map<string, FieldLocation>[] | undefined;
  const positionsOf = (index: number): Map<string, FieldLocation> | undefined => {
    if (positions === undefined) {
      try {
        positions = buildPositionIndex(parseEvents(text, { maxDepth: lim.maxDepth }), text, new LineIndex(path, text));
      } catch {
        positions = [];
      }
    }
    return positions[index];
  };

  values.forEach((value, i) => {
    const index = indexBase + i;
    const startLine = startLines[i] ?? 1;
    const reason = skipReason(value);
    if (reason !== undefined) {
      result.skipped.push({ file: path, index, startLine, reason });
      return;
    }
    // Without aliases (the fast path has none) a document has at most one node per character: no need to count.
    const size = plain !== undefined && text.length <= lim.maxExpandedNodes ? ({ ok: true } as const) : measureExpandedSize(value, lim.maxExpandedNodes);
    if (size.ok === false) {
      result.diagnostics.push({
        code: size.reason === "cycle" ? "manifest_recursive_alias" : "manifest_expansion_limit",
        severity: "error",
        message:
          size.reason === "cycle"
            ? `document ${index} refers to itself through an alias`
            : `document ${index} expands to more than ${lim.maxExpandedNodes} nodes once aliases are resolved`,
        file: path,
        line: startLine,
        column: 1,
      });
      return;
    }
    const obj = value as JsonObject;
    const metadata = obj.metadata;
    const meta = metadata !== null && typeof metadata === "object" ? (metadata as JsonObject) : undefined;
    const doc: ManifestDocument = {
      file: path,
      index,
      startLine,
      apiVersion: obj.apiVersion as string,
      kind: obj.kind as string,
      value: obj,
      locate(path: string | readonly FieldPathSegment[]): FieldLocation | undefined {
        const segments = typeof path === "string" ? parseFieldPath(path) : path;
        if (segments === undefined) return undefined;
        return positionsOf(i)?.get(pathKey(segments));
      },
    };
    if (typeof meta?.name === "string") doc.name = meta.name;
    if (typeof meta?.namespace === "string") doc.namespace = meta.namespace;
    result.documents.push(doc);
  });
  return values.length;
}
