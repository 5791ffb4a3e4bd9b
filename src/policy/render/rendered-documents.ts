/**
 * Rendered objects as manifest documents the policy sources can judge, and the way back from what a source reports
 * on them to a line of the repository.
 *
 *   renderedDocuments(root, objects, sourceFiles, firstIndex) → RenderedDocument[]
 *   renderedPosition(rendered, line) → SourcePos
 *
 * Policy sources report a finding at `doc.file` and a line they got from `doc.startLine` or `doc.locate(path)`. A
 * rendered object has no file of its own (its fields come from a resource file, a kustomization's `images:` entry, a
 * patch…), so each rendered document gets a unique name (`<root>#<index> <Kind>/<name>`) and its "lines" are tickets:
 * 1 is the object's source document, and each `locate` hands out the next number for the position it resolved. The
 * position of a field path is its longest pointer prefix in `fieldOrigins` (what a transformer or patch set), else the
 * field in the source document (read with the manifest loader, positions lazily), else the source document's start.
 */
import { parseFieldPath } from "../manifests/field-path.js";
import { loadManifestFile } from "../manifests/load-manifest-file.js";
import type { FieldLocation, FieldPathSegment, ManifestDocument, ManifestFileResult } from "../manifests/manifest-types.js";
import type { RenderedObject, SourcePos } from "../../render/api.js";

export interface RenderedDocument {
  /** The root folder that rendered the object. */
  root: string;
  rendered: RenderedObject;
  /** What the policy sources judge; `file` is a name unique to this object, its lines are tickets into `positions`. */
  document: ManifestDocument;
  /** The positions `document.locate` resolved, ticket n at index n - 1 (ticket 1: the source document). */
  positions: SourcePos[];
}

/** The source texts renders read, and the manifest loads made of them (shared by every object of a check). */
export interface SourceFiles {
  read(path: string): string | undefined;
  loaded?: Map<string, ManifestFileResult>;
}

const escapePointer = (s: FieldPathSegment) => String(s).replace(/~/g, "~0").replace(/\//g, "~1");

/** The longest prefix of a field path that a transformer, generator or patch set, if any. */
export function originOfField(origins: Readonly<Record<string, SourcePos>>, segments: readonly FieldPathSegment[]): SourcePos | undefined {
  const pointers = [""];
  for (const s of segments) pointers.push(`${pointers[pointers.length - 1] as string}/${escapePointer(s)}`);
  for (let n = pointers.length - 1; n >= 0; n--) {
    const origin = origins[pointers[n] as string];
    if (origin !== undefined) return origin;
  }
  return undefined;
}

/** The field's line in the object's source document, when the source file loads as manifests and has the field. */
function fieldInSource(files: SourceFiles, source: SourcePos, segments: readonly FieldPathSegment[]): SourcePos | undefined {
  const loaded = (files.loaded ??= new Map());
  let result = loaded.get(source.file);
  if (result === undefined) {
    const content = files.read(source.file);
    if (content === undefined) return undefined;
    result = loadManifestFile({ path: source.file, content });
    loaded.set(source.file, result);
  }
  // The document that starts on the source line (or the first after it: a source line may be the `---`).
  let doc: ManifestDocument | undefined;
  for (const d of result.documents) if (d.startLine >= source.line && (doc === undefined || d.startLine < doc.startLine)) doc = d;
  const at = doc?.locate(segments);
  if (at === undefined) return undefined;
  const where = at.key ?? at.value;
  return { file: source.file, line: where.line, column: where.column };
}

function ticketLocation(file: string, ticket: number): FieldLocation {
  const at = { file, line: ticket, column: 1, offset: 0 };
  return { key: at, value: at };
}

const stringField = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The documents of one root's rendered objects; `firstIndex` keeps names unique across roots. */
export function renderedDocuments(root: string, objects: readonly RenderedObject[], files: SourceFiles, firstIndex = 0): RenderedDocument[] {
  return objects.map((rendered, i) => {
    const value = rendered.object;
    const metadata = (value.metadata ?? {}) as Record<string, unknown>;
    const kind = stringField(value.kind) ?? "";
    const name = stringField(metadata.name);
    const namespace = stringField(metadata.namespace);
    const file = `${root}#${firstIndex + i} ${kind}/${name ?? ""}`;
    const positions: SourcePos[] = [rendered.source];
    const document: ManifestDocument = {
      file,
      index: i,
      startLine: 1,
      apiVersion: stringField(value.apiVersion) ?? "",
      kind,
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      value,
      locate(path) {
        const segments = typeof path === "string" ? parseFieldPath(path) : path;
        if (segments === undefined) return undefined;
        const at = originOfField(rendered.fieldOrigins, segments) ?? fieldInSource(files, rendered.source, segments);
        if (at === undefined) return undefined;
        positions.push(at);
        return ticketLocation(file, positions.length);
      },
    };
    return { root, rendered, document, positions };
  });
}

/** The repository position behind a line a source reported on a rendered document (its source document if unknown). */
export function renderedPosition(rendered: RenderedDocument, line: number): SourcePos {
  return rendered.positions[line - 1] ?? rendered.rendered.source;
}
