/**
 * One query per document inside a batch: `fleetward_eval_batch` evaluates many documents in one module call, so the
 * host cannot call `beginQuery` between them itself. While a batch runs, every host builtin call first reads which
 * document the module is at (the batch's state word) and starts a new query when it changed, so that `time.now_ns`,
 * `rand.intn` and friends give one answer per document, as one `evaluateInput` per document does.
 */
import { beginQuery } from "../builtins/host/query-scope.js";

type HostFn = (...args: unknown[]) => unknown;

let currentDocument: (() => number) | undefined;
let lastDocument = -1;

/** Runs `body` (one batch call) with host builtins starting a query per document (`document()` reads the index). */
export function inBatch<T>(document: () => number, body: () => T): T {
  const outer = currentDocument;
  currentDocument = document;
  lastDocument = document();
  beginQuery();
  try {
    return body();
  } finally {
    currentDocument = outer;
  }
}

/** `builtins`, each calling `beginQuery` first when a batch has moved to another document since the last call. */
export function perDocumentQueries(builtins: Record<string, HostFn>): Record<string, HostFn> {
  const out: Record<string, HostFn> = {};
  for (const [name, fn] of Object.entries(builtins)) {
    out[name] = (...args: unknown[]) => {
      if (currentDocument !== undefined) {
        const doc = currentDocument();
        if (doc !== lastDocument) {
          lastDocument = doc;
          beginQuery();
        }
      }
      return fn(...args);
    };
  }
  return out;
}
