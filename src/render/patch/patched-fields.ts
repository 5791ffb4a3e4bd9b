/**
 * Reports the fields a strategic merge patch set, once the merge is done and every element has its final index:
 *
 *   reportPatchedFields(result, marks, onSet): void      onSet(pointer in the result, pointer in the patch)
 *
 * A container or value taken whole from the patch is reported at its pointer (nothing below it); a scalar the patch
 * set is reported by its key in the container that holds it.
 */
import { pointerOf } from "../kyaml.js";
import type { PatchedMarks } from "./strategic-merge.js";

type OnSet = (pointer: string, patchPointer: string) => void;

export function reportPatchedFields(result: object, marks: PatchedMarks, onSet: OnSet): void {
  const whole = marks.whole.get(result);
  if (whole !== undefined) {
    onSet("", whole);
    return;
  }
  visit(result, "", marks, onSet);
}

function visit(container: object, pointer: string, marks: PatchedMarks, onSet: OnSet): void {
  const keys = marks.keys.get(container);
  for (const [key, child] of Object.entries(container)) {
    const childPointer = pointer + pointerOf([key]);
    const isContainer = typeof child === "object" && child !== null;
    const from = keys?.get(key) ?? (isContainer ? marks.whole.get(child) : undefined);
    if (from !== undefined) onSet(childPointer, from);
    else if (isContainer) visit(child, childPointer, marks, onSet);
  }
}
