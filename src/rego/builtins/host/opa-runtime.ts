/**
 * `opa.runtime()`: what OPA tells a policy about the process that runs it. Evaluation in the app and in tests knows
 * nothing of the process (OPA's library use answers `{}` too); a command that runs policies for its user (the CLI's
 * `eval`, the conformance runner with a case's `env`) sets what it wants visible with `setOpaRuntime`.
 */
import type { HostBuiltinFamily, Json } from "./operands.js";

let runtime: Record<string, Json> = {};

/** Sets the value `opa.runtime()` returns from now on (`{}` to reveal nothing), e.g. `{ env: {...} }`. */
export function setOpaRuntime(value: Record<string, Json>): void {
  runtime = value;
}

export const opaRuntimeBuiltins: HostBuiltinFamily = {
  "opa.runtime": () => runtime,
};
