/** An error raised by a host builtin, with OPA's code. In non-strict mode the call becomes undefined instead. */
export class HostBuiltinError extends Error {
  constructor(readonly code: "eval_type_error" | "eval_builtin_error", message: string) {
    super(`${code}: ${message}`);
    this.name = "HostBuiltinError";
  }
}
