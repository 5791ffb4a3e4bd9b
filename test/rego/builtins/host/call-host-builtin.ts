import { HostBuiltinError } from "../../../../src/rego/builtins/host/host-builtin-error.js";
import { HOST_BUILTINS } from "../../../../src/rego/builtins/host/host-builtin-table.js";

/** Calls a host builtin directly (errors throw, as in strict mode). */
export function call(name: string, ...args: unknown[]): unknown {
  const fn = HOST_BUILTINS.get(name);
  if (!fn) throw new Error(`no host builtin ${name}`);
  return fn(...args);
}

/** The code and message of the error a call throws. */
export function failure(name: string, ...args: unknown[]): string {
  try {
    call(name, ...args);
  } catch (e) {
    if (e instanceof HostBuiltinError) return e.message;
    throw e;
  }
  throw new Error(`${name} did not fail`);
}
