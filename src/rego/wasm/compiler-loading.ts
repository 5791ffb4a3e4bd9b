/**
 * When the code generator (binaryen, 15 MB of JavaScript, over 1 s of CPU to load) is loaded. By default `compile.ts`
 * loads it while it is imported, so that the synchronous `compile()` works at once (tests, sandbox workers). A
 * process that wants it on first use only (the `fleetward` command, the server's main thread) calls
 * `deferCompilerLoading()` before anything imports `compile.ts`; `defer-compiler-loading.ts` does so as a
 * side-effect import, to be placed first in an entry module.
 */
let deferred = false;

export function deferCompilerLoading(): void {
  deferred = true;
}

export function compilerLoadingDeferred(): boolean {
  return deferred;
}
