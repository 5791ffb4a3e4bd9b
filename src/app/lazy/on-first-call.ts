/**
 * Issue 17: the idle server loads no capability before it is used. `onFirstCall(load)` is an async function that
 * imports its module on its first call (Node caches the module: later calls pay one resolved promise) and then
 * calls the real function with the same arguments: same result, same errors.
 */
type AsyncFunction = (...args: never[]) => Promise<unknown>;

export function onFirstCall<F extends AsyncFunction>(load: () => Promise<F>): F {
  const call = async (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> => (await load())(...args) as Awaited<ReturnType<F>>;
  return call as unknown as F;
}
