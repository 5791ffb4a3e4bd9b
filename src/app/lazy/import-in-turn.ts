/**
 * The app's lazy imports (issue 17) run one at a time, in the order asked. Node's own loader takes concurrent
 * `import()`s of modules that share dependencies, but the tests run the app inside Jest's VM modules, which do not:
 * two first events at once (a push runs the config check and the promotion together) failed there with
 * "request for '…' is not in cache" (nodejs/node#33216). Only first loads wait; a loaded module comes from the cache.
 */
let queue: Promise<unknown> = Promise.resolve();

export function importInTurn<T>(load: () => Promise<T>): Promise<T> {
  const next = queue.then(load);
  queue = next.catch(() => undefined);
  return next;
}
