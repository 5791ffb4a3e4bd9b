/**
 * Where a finding sits in a manifest document: the key (or value) of the field a policy result names by its path
 * (`spec.template.spec.containers[0].image`), else the document's first line.
 */
import type { ManifestDocument } from "../manifests/manifest-types.js";

export function locateInDocument(doc: ManifestDocument, path: unknown): { line: number; column?: number } {
  if (typeof path === "string" && path !== "") {
    const loc = doc.locate(path);
    if (loc !== undefined) {
      const at = loc.key ?? loc.value;
      return { line: at.line, column: at.column };
    }
  }
  return { line: doc.startLine };
}
