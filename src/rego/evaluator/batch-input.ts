/**
 * Pure helpers of batch evaluation (`CompiledPolicy.evaluateInputs`): which members of a batch's inputs are written
 * once for all of them, what each document's own part is, and how the module's batch output reads back.
 */

/** One document's outcome: its result set, as `evaluateInput` returns it, or what that call would have thrown. */
export type BatchOutcome = { ok: true; resultSet: Array<{ result: unknown }> } | { ok: false; error: unknown };

/**
 * The part of `input` the batch writes for it alone, when its `sharedKeys` members can come from `shared` instead:
 * a plain object holding each shared key, with the very value (`===`) `shared` has there, after all of its other
 * keys (the module adds the shared members after the document's, so member order stays the input's). `undefined`
 * when it cannot (the document then goes through the single path).
 */
export function ownPart(input: unknown, shared: Readonly<Record<string, unknown>>, sharedKeys: readonly string[]): Record<string, unknown> | undefined {
  if (typeof input !== "object" || input === null || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  const keys = Object.keys(input);
  const own = keys.length - sharedKeys.length;
  if (own < 0 || typeof (input as { toJSON?: unknown }).toJSON === "function") return undefined;
  const part: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = (input as Record<string, unknown>)[key];
    if (i >= own) {
      if (key !== sharedKeys[i - own] || value !== shared[key]) return undefined;
    } else {
      if (sharedKeys.includes(key)) return undefined;
      part[key] = value;
    }
  }
  return part;
}

/** The shared members: `sharedKeys` of `input` (the first document of the batch), in that order. */
export function sharedPart(input: unknown, sharedKeys: readonly string[]): Record<string, unknown> | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of sharedKeys) {
    if (!Object.prototype.hasOwnProperty.call(input, key)) return undefined;
    out[key] = (input as Record<string, unknown>)[key];
  }
  return out;
}

/**
 * The result sets of a batch's output text (`fleetward_eval_batch`: per document `0,`, `1,` or a JSON result set
 * and `,`), one JSON.parse for all of them: `0` is no result, `1` one result that is an empty array.
 */
export function parseBatchOutput(text: string): Array<Array<{ result: unknown }>> {
  if (text.length === 0) return [];
  const items = JSON.parse(`[${text.slice(0, -1)}]`) as unknown[];
  return items.map((item) => (item === 0 ? [] : item === 1 ? [{ result: [] }] : (item as Array<{ result: unknown }>)));
}
