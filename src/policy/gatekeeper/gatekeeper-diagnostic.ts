import type { FieldPathSegment } from "../manifests/manifest-types.js";
import type { GatekeeperDiagnostic, GatekeeperDiagnosticCode, SourceDocument } from "./gatekeeper-types.js";

/**
 * A diagnostic placed at a field of a document when its position is known (the key of the field, else the closest
 * existing parent), else at the document's first line.
 */
export function gatekeeperDiagnostic(
  doc: SourceDocument,
  code: GatekeeperDiagnosticCode,
  message: string,
  path: readonly FieldPathSegment[] = [],
  severity: "error" | "warning" = "error",
): GatekeeperDiagnostic {
  for (let n = path.length; n >= 0 && doc.locate !== undefined; n--) {
    const loc = doc.locate(path.slice(0, n));
    if (loc !== undefined) {
      const at = loc.key ?? loc.value;
      return { code, severity, message, file: doc.file, line: at.line, column: at.column };
    }
  }
  return { code, severity, message, file: doc.file, line: doc.startLine, column: 1 };
}
