/**
 * `BundlePolicy`: an OPA bundle's Wasm modules loaded through the official SDK (via CompiledPolicy, with Fleetward's
 * host builtins), the bundle's `data.json` set as their data, and its entrypoints routed to the module that serves
 * each. Entrypoints come from the manifest's `wasm` list and must be exported by the module (`entrypoints` export);
 * a module the manifest does not mention (a bundle without `.manifest`) serves every entrypoint it exports. Works
 * the same for bundles from `fleetward build` and from `opa build -t wasm`: both speak OPA's Wasm ABI.
 */
import { CompiledPolicy, toEvalError, type LoadOptions } from "../evaluator/compiled-policy.js";
import { BundleError } from "./bundle-error.js";
import { bundlePath, normalizeEntrypoint } from "./bundle-paths.js";
import type { Bundle, BundleLimits } from "./bundle-types.js";
import { readBundle } from "./read-bundle.js";

export interface LoadBundleOptions extends LoadOptions {
  limits?: Partial<BundleLimits>;
}

function toBundle(source: Uint8Array | Bundle, opts: LoadBundleOptions): Bundle {
  if (source instanceof Uint8Array) return readBundle(source, opts.limits === undefined ? {} : { limits: opts.limits });
  if (source.wasmModules.length === 0) throw new BundleError("bundle_missing_wasm", "the bundle holds no policy.wasm");
  return source;
}

function wasmError(path: string, e: unknown): BundleError {
  return new BundleError("bundle_wasm_invalid", `cannot load the Wasm module: ${e instanceof Error ? e.message : String(e)}`, path);
}

/** Routes every entrypoint to its loaded module; see the file comment for the rules. */
function route(bundle: Bundle, loaded: ReadonlyMap<string, CompiledPolicy>): Map<string, CompiledPolicy> {
  const routes = new Map<string, CompiledPolicy>();
  const add = (entrypoint: string, policy: CompiledPolicy, module: string): void => {
    if (routes.has(entrypoint)) throw new BundleError("bundle_manifest_invalid", `entrypoint "${entrypoint}" is served by more than one Wasm module`, module);
    routes.set(entrypoint, policy);
  };
  for (const [path, policy] of loaded) {
    const exported = new Set(Object.keys(policy.entrypoints));
    const resolvers = (bundle.manifest.wasm ?? []).filter((w) => bundlePath(w.module) === path);
    if (resolvers.length === 0) {
      for (const e of exported) add(e, policy, path);
      continue;
    }
    for (const r of resolvers) {
      const e = normalizeEntrypoint(r.entrypoint);
      if (!exported.has(e)) {
        throw new BundleError("bundle_manifest_invalid", `the manifest names entrypoint "${r.entrypoint}", which the module does not export (it exports ${JSON.stringify([...exported].sort())})`, path);
      }
      add(e, policy, path);
    }
  }
  return routes;
}

export class BundlePolicy {
  private constructor(
    readonly bundle: Bundle,
    private readonly routes: ReadonlyMap<string, CompiledPolicy>,
  ) {}

  private static assemble(bundle: Bundle, loaded: Map<string, CompiledPolicy>): BundlePolicy {
    for (const [path, policy] of loaded) {
      try {
        policy.setData(bundle.data);
      } catch (e) {
        throw wasmError(path, e);
      }
    }
    return new BundlePolicy(bundle, route(bundle, loaded));
  }

  /** Reads (when given bytes) and loads a bundle through the SDK's `loadPolicy`. Throws BundleError. */
  static async load(source: Uint8Array | Bundle, opts: LoadBundleOptions = {}): Promise<BundlePolicy> {
    const bundle = toBundle(source, opts);
    const loaded = new Map<string, CompiledPolicy>();
    for (const m of bundle.wasmModules) {
      try {
        loaded.set(m.path, await CompiledPolicy.load(m.bytes, opts));
      } catch (e) {
        throw wasmError(m.path, e);
      }
    }
    return BundlePolicy.assemble(bundle, loaded);
  }

  /** As `load`, through the SDK's `loadPolicySync`. */
  static loadSync(source: Uint8Array | Bundle, opts: LoadBundleOptions = {}): BundlePolicy {
    const bundle = toBundle(source, opts);
    const loaded = new Map<string, CompiledPolicy>();
    for (const m of bundle.wasmModules) {
      try {
        loaded.set(m.path, CompiledPolicy.loadSync(m.bytes, opts));
      } catch (e) {
        throw wasmError(m.path, e);
      }
    }
    return BundlePolicy.assemble(bundle, loaded);
  }

  /** The entrypoints this bundle serves, slash-separated, sorted. */
  get entrypoints(): string[] {
    return [...this.routes.keys()].sort();
  }

  private policyFor(entrypoint: string): { policy: CompiledPolicy; name: string } {
    const name = normalizeEntrypoint(entrypoint);
    const policy = this.routes.get(name);
    if (policy === undefined) {
      throw new BundleError("bundle_unknown_entrypoint", `the bundle has no entrypoint "${entrypoint}" (it has ${JSON.stringify(this.entrypoints)})`);
    }
    return { policy, name };
  }

  /**
   * The SDK's result set for `entrypoint` (`a/b` or `data.a.b`): `[]` when undefined, else `[{result}]`. Throws
   * PolicyEvalError. Evaluated as `CompiledPolicy.evaluateInput` does (one call into the module, input in the binary
   * format where the module reads it, else as JSON text, else through the SDK). As the SDK's `evaluate`, a falsy
   * input (`null`, `false`, `0`, `""`) is no input.
   */
  evaluate(entrypoint: string, input?: unknown): Array<{ result: unknown }> {
    const { policy, name } = this.policyFor(entrypoint);
    try {
      return policy.evaluateInput(name, input || undefined);
    } catch (e) {
      // What writing the input throws (a BigInt, a throwing toJSON) is an evaluation error here too.
      throw toEvalError(e);
    }
  }

  /** As `evaluate`, with input and result as JSON text (numbers exact). */
  evaluateText(entrypoint: string, input: string | undefined): string {
    const { policy, name } = this.policyFor(entrypoint);
    return policy.evaluateText(name, input);
  }
}
