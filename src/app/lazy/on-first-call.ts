/**
 * Issue 17: the idle server loads no capability before it is used. `onFirstCall(load)` is an async function that
 * imports its module on its first call (in turn with the app's other lazy imports) and then calls the real function
 * with the same arguments: same result, same errors. Later calls go straight to the loaded function.
 */
import { importInTurn } from "./import-in-turn.js";

type AsyncFunction = (...args: never[]) => Promise<unknown>;

export function onFirstCall<F extends AsyncFunction>(load: () => Promise<F>): F {
  let loaded: F | undefined;
  const call = async (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> => {
    loaded ??= await importInTurn(load);
    return loaded(...args) as Awaited<ReturnType<F>>;
  };
  return call as unknown as F;
}
