/**
 * The OPA SDK answers a module's `opa_builtinN` calls from its own JS builtins first and from the host's
 * (`customBuiltins`) only for names it lacks. Its `regex.split` is JavaScript's backtracking `RegExp`, which a
 * hostile pattern stalls for minutes, and has JavaScript's syntax, not RE2's: it is removed from the SDK's table
 * so that modules built by OPA (prebuilt bundles) get the RE2 host builtin too. (Modules Fleetward compiles call
 * `regex.split#value-text`, a name the SDK never had.)
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The SDK's own builtin table: the same module object its loader requires (`src/builtins/index.js`). */
export const SDK_BUILTINS = require(join(dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js")) as Record<string, unknown>;

/** SDK builtins that must not shadow the host's. */
const SHADOWING = ["regex.split"];

for (const name of SHADOWING) delete SDK_BUILTINS[name];
