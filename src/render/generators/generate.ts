/**
 * configMapGenerator / secretGenerator entries → objects, as Kustomize generates them.
 *
 * - `generateConfigMap(args, globalOptions, readFile) → Generated`
 * - `generateSecret(args, globalOptions, readFile) → Generated`
 *   `args` is one entry of the kustomization (`name`, `namespace`, `behavior`, `literals`, `files`, `envs`, `env`,
 *   `options`, and `type` for a Secret); `globalOptions` the kustomization's `generatorOptions`; `readFile(path)`
 *   reads a `files`/`envs` path as written in the entry (the caller resolves it against the kustomization's folder
 *   and enforces load restrictions) and returns text, bytes, or undefined when missing.
 *   Pairs come from env files, then literals, then files; a key seen twice is an error. A ConfigMap value that is
 *   not UTF-8 (bytes only) goes to `binaryData` in base64; Secret values are base64 (both cut in 70-character lines
 *   when longer, as Kustomize does). Labels and annotations: the entry's options over the global ones;
 *   `disableNameSuffixHash` and `immutable` when either sets them.
 *   `Generated.needsHash` says whether the name gets the content-hash suffix (`contentHash` in hash.ts, applied by
 *   the caller once transformers have run); the name in `object` has no suffix yet.
 * - `mergeOptions(local, global) → GeneratorOptions`.
 * Errors are `RenderError`: `render_generator_entry` (a field of the wrong shape, validate.ts), `render_generator_name`, `render_generator_behavior`, `render_generator_duplicate_key`,
 * `render_generator_key` (a key such as `1` or `true` that YAML reads as another type: Kustomize's build fails on
 * it), `render_missing_file`, `render_generator_source`.
 */
import { RenderError } from "../render-error.js";
import type { JsonObject } from "../fieldspec/fieldspec.js";
import { resolvePlain } from "../transformers/scalar.js";
import { parseEnvFile, parseFileSource, parseLiteral, type KvPair } from "./kv.js";
import { checkGeneratorArgs, checkGeneratorOptions } from "./validate.js";

const describeScalar = (key: string): string => {
  const v = resolvePlain(key);
  return v === null ? "null" : typeof v;
};

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  /** Kustomize's older single env file, read after `envs`. */
  env?: string;
  options?: GeneratorOptions;
  /** Secret only; default `Opaque`. */
  type?: string;
}

export type GeneratorReadFile = (path: string) => string | Uint8Array | undefined;
export type GenerationBehavior = "create" | "merge" | "replace";

export interface Generated {
  object: JsonObject;
  behavior: GenerationBehavior;
  needsHash: boolean;
}

export function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions {
  const merged: GeneratorOptions = {
    labels: { ...global?.labels, ...local?.labels },
    annotations: { ...global?.annotations, ...local?.annotations },
  };
  if (local?.disableNameSuffixHash || global?.disableNameSuffixHash) merged.disableNameSuffixHash = true;
  if (local?.immutable || global?.immutable) merged.immutable = true;
  return merged;
}

export function generateConfigMap(args: GeneratorArgs, globalOptions: GeneratorOptions | undefined, readFile: GeneratorReadFile): Generated {
  checkGeneratorArgs(args, "ConfigMap");
  checkGeneratorOptions(globalOptions, "generatorOptions");
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const { key, value } of loadPairs(args, "configmap", readFile)) {
    const text = typeof value === "string" ? value : decodeUtf8(value);
    if (text === undefined) binaryData[key] = base64Lines(value as Uint8Array);
    else data[key] = text;
  }
  const body: JsonObject = {};
  if (Object.keys(data).length > 0) body["data"] = sorted(data);
  if (Object.keys(binaryData).length > 0) body["binaryData"] = sorted(binaryData);
  return finish("ConfigMap", args, globalOptions, body);
}

export function generateSecret(args: GeneratorArgs, globalOptions: GeneratorOptions | undefined, readFile: GeneratorReadFile): Generated {
  checkGeneratorArgs(args, "Secret");
  checkGeneratorOptions(globalOptions, "generatorOptions");
  const data: Record<string, string> = {};
  for (const { key, value } of loadPairs(args, "secret", readFile)) {
    data[key] = base64Lines(typeof value === "string" ? Buffer.from(value, "utf8") : value);
  }
  // A Secret always has its data map, empty or not (and the hash sees it): measured with Kustomize v5.5.0.
  const body: JsonObject = { type: args.type || "Opaque", data: sorted(data) };
  return finish("Secret", args, globalOptions, body);
}

function finish(kind: string, args: GeneratorArgs, globalOptions: GeneratorOptions | undefined, body: JsonObject): Generated {
  if (!args.name) throw new RenderError("render_generator_name", `a ${kind.toLowerCase()} generator entry must have a name`);
  const behavior = args.behavior ?? "create";
  if (behavior !== "create" && behavior !== "merge" && behavior !== "replace") {
    throw new RenderError("render_generator_behavior", `${kind} ${args.name}: behavior must be create, merge or replace, not '${behavior}'`);
  }
  const options = mergeOptions(args.options, globalOptions);
  const metadata: JsonObject = { name: args.name };
  if (args.namespace) metadata["namespace"] = args.namespace;
  if (Object.keys(options.labels!).length > 0) metadata["labels"] = stringMap(options.labels!);
  if (Object.keys(options.annotations!).length > 0) metadata["annotations"] = stringMap(options.annotations!);
  const object: JsonObject = { apiVersion: "v1", kind, metadata, ...body };
  if (options.immutable) object["immutable"] = true;
  return { object, behavior, needsHash: !options.disableNameSuffixHash };
}

function loadPairs(args: GeneratorArgs, what: string, readFile: GeneratorReadFile): KvPair[] {
  const read = (path: string): string | Uint8Array => {
    const content = readFile(path);
    if (content === undefined) throw new RenderError("render_missing_file", `${what} ${args.name ?? ""}: no such file '${path}'`);
    return content;
  };
  const envFiles = [...(args.envs ?? []), ...(args.env ? [args.env] : [])].map(String);
  const pairs: KvPair[] = [
    ...envFiles.flatMap((path) => {
      const content = read(path);
      return parseEnvFile(typeof content === "string" ? content : envText(content, path));
    }),
    ...(args.literals ?? []).map((literal) => parseLiteral(String(literal))),
    ...(args.files ?? []).map((source) => {
      const { key, path } = parseFileSource(String(source));
      return { key, value: read(path) };
    }),
  ];
  const seen = new Set<string>();
  for (const { key } of pairs) {
    if (seen.has(key)) throw new RenderError("render_generator_duplicate_key", `${what} ${args.name ?? ""} illegally repeats the key '${key}'`);
    if (typeof resolvePlain(key) !== "string") {
      // Kustomize re-reads the generated map as YAML: such a key becomes a number, boolean or null and its build fails.
      throw new RenderError("render_generator_key", `${what} ${args.name ?? ""}: the key '${key}' reads as a YAML ${describeScalar(key)}, which Kustomize cannot build`);
    }
    seen.add(key);
  }
  return pairs;
}

function envText(bytes: Uint8Array, path: string): string {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new RenderError("render_generator_source", `env file '${path}' has invalid UTF-8`);
  return text;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Base64, cut in lines of 70 characters each ending with a newline once it is 70 characters or longer. */
export function base64Lines(bytes: Uint8Array): string {
  const encoded = Buffer.from(bytes).toString("base64");
  if (encoded.length < 70) return encoded;
  let out = "";
  for (let i = 0; i < encoded.length; i += 70) out += `${encoded.slice(i, i + 70)}\n`;
  return out;
}

function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function stringMap(map: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]));
}
