/**
 * The host builtins (`../builtins/host/`), wrapped for the SDK's `customBuiltins`. Arguments arrive as JSON
 * (sets as arrays, numbers as JS numbers); results go back as JSON. Errors are `HostBuiltinError`s with
 * OPA's codes; as in OPA, an error makes the call undefined unless builtin errors are strict.
 */
import { HostBuiltinError } from "../builtins/host/host-builtin-error.js";
import { HOST_BUILTINS } from "../builtins/host/host-builtin-table.js";
// The SDK's own JS regex.split must not answer in place of the RE2 host builtin (see sdk-builtins.ts).
import "./sdk-builtins.js";

export { HostBuiltinError };

type HostFn = (...args: unknown[]) => unknown;

/** The host builtins for the SDK: errors throw when strict, else the call is undefined. */
export function hostBuiltins(strict: boolean): Record<string, HostFn> {
  const out: Record<string, HostFn> = {};
  for (const [name, fn] of HOST_BUILTINS) {
    out[name] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof HostBuiltinError && !strict) return undefined;
        throw e;
      }
    };
  }
  return out;
}
