/**
 * Reports the fields a strategic merge patch set, once the merge is done and every element has its final index:
 *
 *   reportPatchedFields(result, marks, onSet): void
 *
 * A container or value taken whole from the patch is reported at its pointer (nothing below it); a scalar the patch
 * set is reported by its key in the container that holds it.
 */
import { pointerOf } from "../kyaml.js";
import type { PatchedMarks } from "./strategic-merge.js";

export function reportPatchedFields(result: object, marks: PatchedMarks, onSet: (pointer: string) => void): void {
  if (marks.whole.has(result)) {
    onSet("");
    return;
  }
  visit(result, [], marks, onSet);
}

function visit(container: object, path: (string | number)[], marks: PatchedMarks, onSet: (pointer: string) => void): void {
  const keys = marks.keys.get(container);
  for (const [key, child] of Object.entries(container)) {
    const childPath = [...path, key];
    if (keys?.has(key) || (typeof child === "object" && child !== null && marks.whole.has(child))) {
      onSet(pointerOf(childPath));
    } else if (typeof child === "object" && child !== null) {
      visit(child, childPath, marks, onSet);
    }
  }
}
