/**
 * Derives the committed artifacts from the one schema: `schema/fleetward.schema.json` (JSON Schema draft
 * 2020-12) and the README's configuration reference between the `config-reference` markers.
 */
import { z } from "zod";
import { fleetwardConfigSchema } from "./schema.js";

export const README_START = "<!-- config-reference:start -->";
export const README_END = "<!-- config-reference:end -->";

export interface ConfigArtifacts {
  /** The JSON Schema, pretty-printed, ending with a newline. */
  schemaJson: string;
  /** The README section, from the start marker to the end marker inclusive. */
  readmeSection: string;
}

type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
};

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(fleetwardConfigSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

function typeName(s: JsonSchema): string {
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/\$defs\//, "");
    return `[${name}](#${name.toLowerCase()})`;
  }
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" | ");
  if (s.title && (s.type === "string" || s.type === "integer")) return s.title;
  const t = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (t.includes("array") && s.items) return `list of ${typeName(s.items)}`;
  if (t.includes("object") && !s.properties && typeof s.additionalProperties === "object") {
    return `map of string → ${typeName(s.additionalProperties)}`;
  }
  if (t.includes("object")) return s.title ?? "object";
  if (t.includes("string") && s.pattern && s.maxLength === undefined && !s.title) return "string";
  return t.join(" or ") || "any";
}

function constraints(s: JsonSchema): string {
  const parts: string[] = [];
  if (s.minItems !== undefined) parts.push(`at least ${s.minItems}`);
  if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${s.minimum}–${s.maximum}`);
  if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function defaultCell(s: JsonSchema, required: boolean): string {
  if (required) return "required";
  if (!("default" in s)) return "—";
  const d = s.default;
  if (typeof d === "object" && d !== null && !Array.isArray(d) && Object.keys(d).length === 0 && s.properties) return "see fields";
  return `\`${JSON.stringify(d)}\``;
}

function rows(schema: JsonSchema, prefix: string, out: string[]): void {
  const required = new Set(schema.required ?? []);
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const field = prefix === "" ? key : `${prefix}.${key}`;
    const isArray = prop.type === "array" && prop.items !== undefined;
    out.push(
      `| \`${field}\` | ${cell(typeName(prop))}${constraints(prop)} | ${defaultCell(prop, required.has(key))} | ${cell(prop.description ?? "")} |`,
    );
    if (prop.properties) rows(prop, field, out);
    else if (isArray && prop.items?.properties) rows(prop.items, `${field}[]`, out);
  }
}

function table(schema: JsonSchema, prefix: string): string[] {
  const out = ["| Field | Type | Default | Description |", "| --- | --- | --- | --- |"];
  rows(schema, prefix, out);
  return out;
}

export function renderConfigReference(schema: Record<string, unknown>): string {
  const root = schema as JsonSchema;
  const lines = [
    README_START,
    "<!-- Generated from src/config/schema.ts by generateConfigArtifacts(); do not edit by hand. -->",
    "",
    "### Configuration reference: `.github/fleetward.yml`",
    "",
    cell(root.description ?? ""),
    "Validate it in an editor with [`schema/fleetward.schema.json`](schema/fleetward.schema.json);",
    "precedence, merge rules and diagnostics are explained in [docs/configuration.md](docs/configuration.md).",
    "",
    ...table(root, ""),
  ];
  for (const [name, def] of Object.entries(root.$defs ?? {})) {
    lines.push("", `#### ${name}`, "", cell(def.description ?? ""), "", ...table(def, ""));
  }
  lines.push("", README_END);
  return lines.join("\n");
}

export function generateConfigArtifacts(): ConfigArtifacts {
  const schema = configJsonSchema();
  return { schemaJson: `${JSON.stringify(schema, null, 2)}\n`, readmeSection: renderConfigReference(schema) };
}

/** The README with its generated section replaced, or null when the markers are missing or out of order. */
export function replaceReadmeSection(readme: string, section: string): string | null {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) return null;
  return readme.slice(0, start) + section + readme.slice(end + README_END.length);
}

/** The README's current generated section (markers included), or null when the markers are missing. */
export function extractReadmeSection(readme: string): string | null {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) return null;
  return readme.slice(start, end + README_END.length);
}
