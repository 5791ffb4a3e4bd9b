// Host imports allowed by the OPA Wasm ABI and the abort routing.
// The runtime never imports anything else: AssemblyScript's own `abort`
// is redirected here with `--use abort=...` (see scripts/build-runtime.mjs).

// @ts-ignore: decorator
@external("env", "opa_abort")
declare function host_abort(addr: usize): void;

// @ts-ignore: decorator
@external("env", "opa_println")
declare function host_println(addr: usize): void;

// @ts-ignore: decorator
@external("env", "opa_builtin0")
export declare function host_builtin0(id: i32, ctx: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin1")
export declare function host_builtin1(id: i32, ctx: usize, a: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin2")
export declare function host_builtin2(id: i32, ctx: usize, a: usize, b: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin3")
export declare function host_builtin3(id: i32, ctx: usize, a: usize, b: usize, c: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin4")
export declare function host_builtin4(id: i32, ctx: usize, a: usize, b: usize, c: usize, d: usize): usize;

/** Fixed scratch area for abort messages: aborting must never allocate. */
const ABORT_BUF_SIZE: i32 = 512;
const ABORT_BUF: usize = memory.data(512, 8);

/** Writes a static AssemblyScript string as a NUL-terminated UTF-8 C string into `buf` (truncating). */
function writeCString(msg: string, buf: usize, cap: i32): void {
  const n = msg.length;
  const base = changetype<usize>(msg);
  let o: i32 = 0;
  for (let i: i32 = 0; i < n && o < cap - 4; i++) {
    const c = <u32>load<u16>(base + (<usize>i << 1));
    if (c < 0x80) {
      store<u8>(buf + o++, <u8>c);
    } else if (c < 0x800) {
      store<u8>(buf + o++, <u8>(0xc0 | (c >> 6)));
      store<u8>(buf + o++, <u8>(0x80 | (c & 0x3f)));
    } else {
      store<u8>(buf + o++, <u8>(0xe0 | (c >> 12)));
      store<u8>(buf + o++, <u8>(0x80 | ((c >> 6) & 0x3f)));
      store<u8>(buf + o++, <u8>(0x80 | (c & 0x3f)));
    }
  }
  store<u8>(buf + o, 0);
}

/** Aborts evaluation: the host's `opa_abort` receives the message and throws. Never returns. */
export function abortWith(msg: string): void {
  writeCString(msg, ABORT_BUF, ABORT_BUF_SIZE);
  host_abort(ABORT_BUF);
  unreachable();
}

/** Prints a NUL-terminated UTF-8 string through the host. */
export function println(cstr: usize): void {
  host_println(cstr);
}

/** Replacement for AssemblyScript's `abort` (wired with `--use abort=...`). */
export function runtimeAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortWith(message !== null ? message : "runtime assertion failed");
}
