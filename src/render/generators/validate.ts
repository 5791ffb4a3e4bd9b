/**
 * The shape of a generator entry and of `generatorOptions` as read from YAML, checked before use:
 * `checkGeneratorArgs(args, kind)` and `checkGeneratorOptions(options, where)` throw `RenderError`
 * `render_generator_entry` naming the field (a list of strings where a string was expected, a map where a list was,
 * …), so that bad input is an error and never a crash.
 */
import { isPlainObject } from "../fieldspec/fieldspec.js";
import { RenderError } from "../render-error.js";

const entryError = (message: string): RenderError => new RenderError("render_generator_entry", message);
const isScalar = (v: unknown): boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function checkStrings(value: unknown, field: string, where: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || !value.every(isScalar)) throw entryError(`${where}: '${field}' must be a list of strings`);
}

function checkString(value: unknown, field: string, where: string): void {
  if (value !== undefined && value !== null && !isScalar(value)) throw entryError(`${where}: '${field}' must be a string`);
}

export function checkGeneratorOptions(options: unknown, where: string): void {
  if (options === undefined || options === null) return;
  if (!isPlainObject(options)) throw entryError(`${where}: options must be a map`);
  for (const field of ["labels", "annotations"]) {
    const map = options[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map) || !Object.values(map).every((v) => isScalar(v) || v === null)) {
      throw entryError(`${where}: '${field}' must be a map of strings`);
    }
  }
  for (const field of ["disableNameSuffixHash", "immutable"]) {
    if (options[field] !== undefined && typeof options[field] !== "boolean") throw entryError(`${where}: '${field}' must be true or false`);
  }
}

export function checkGeneratorArgs(args: unknown, kind: string): void {
  if (!isPlainObject(args)) throw entryError(`a ${kind} generator entry must be a map`);
  const where = `${kind} ${typeof args["name"] === "string" ? args["name"] : "generator"}`;
  for (const field of ["name", "namespace", "behavior", "env", "type"]) checkString(args[field], field, where);
  for (const field of ["literals", "files", "envs"]) checkStrings(args[field], field, where);
  checkGeneratorOptions(args["options"], where);
}
