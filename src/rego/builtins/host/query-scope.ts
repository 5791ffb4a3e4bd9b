/**
 * Values that stay the same for the whole of one query, as OPA keeps them in its per-query builtin cache:
 * `time.now_ns`, `rand.intn` and `uuid.rfc4122` give one answer per query for equal arguments. The evaluator
 * (`CompiledPolicy`) calls `beginQuery` when an evaluation starts; evaluation is synchronous, so one scope at a
 * time is enough.
 */
let scope = new Map<string, unknown>();

/** Starts a new query: values cached for the previous one are forgotten. */
export function beginQuery(): void {
  if (scope.size > 0) scope = new Map();
}

/** The value cached under `key` in this query, made (once) by `make`. */
export function queryCached<T>(key: string, make: () => T): T {
  if (scope.has(key)) return scope.get(key) as T;
  const value = make();
  scope.set(key, value);
  return value;
}
