/**
 * Settings fields declared once. Every inheritable setting exists in two variants: in the repository-level
 * `settings` (with its built-in default) and in the `settings` of environments and clusters (optional, no
 * default, so an unset field inherits). A field table built with `defaultedField`, `sameInBoth` and
 * `fieldGroup` holds both; `settingsShape` and `overrideShape` pick one variant of every field.
 */
import { z } from "zod";

/** One settings field in its two variants. */
export interface SettingsField<D extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** In repository-level settings: with the built-in default. */
  withDefault: D;
  /** In environment and cluster overrides: optional, no default. */
  override: O;
}

export type SettingsFieldTable = Record<string, SettingsField>;

export type SettingsShape<T extends SettingsFieldTable> = { [K in keyof T]: T[K]["withDefault"] };
export type OverrideShape<T extends SettingsFieldTable> = { [K in keyof T]: T[K]["override"] };

/** The repository-level variant of every field of the table. */
export function settingsShape<T extends SettingsFieldTable>(table: T): SettingsShape<T> {
  return Object.fromEntries(Object.entries(table).map(([key, field]) => [key, field.withDefault])) as SettingsShape<T>;
}

/** The override variant (optional, no default) of every field of the table. */
export function overrideShape<T extends SettingsFieldTable>(table: T): OverrideShape<T> {
  return Object.fromEntries(Object.entries(table).map(([key, field]) => [key, field.override])) as OverrideShape<T>;
}

/** A field with a built-in default in settings, optional in overrides; both carry `description`. */
export function defaultedField<S extends z.ZodType>(
  schema: S,
  defaultValue: z.core.util.NoUndefined<z.output<S>>,
  description: string,
): SettingsField<z.ZodDefault<S>, z.ZodOptional<S>> {
  return { withDefault: schema.default(defaultValue).describe(description), override: schema.optional().describe(description) };
}

/** Fields that are the same schema in both variants (already optional; their defaults are applied later). */
export function sameInBoth<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: SettingsField<T[K], T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, { withDefault: schema, override: schema }])) as {
    [K in keyof T]: SettingsField<T[K], T[K]>;
  };
}

/**
 * A group of fields as one object field: in settings an object whose fields take their defaults (also when the
 * object is absent), in overrides an optional object of optional fields. `description`, when given, describes
 * the field holding the group.
 */
export function fieldGroup<T extends SettingsFieldTable>(
  table: T,
  meta: z.core.GlobalMeta,
  description?: string,
): SettingsField<
  z.ZodPrefault<z.ZodObject<SettingsShape<T>, z.core.$strict>>,
  z.ZodOptional<z.ZodObject<OverrideShape<T>, z.core.$strict>>
> {
  const object = z.strictObject(settingsShape(table));
  // `{}` is a valid input: every field of the settings variant has a default or is optional.
  const withDefault = object.prefault({} as z.input<typeof object>).meta(meta);
  const override = z.strictObject(overrideShape(table)).optional().meta(meta);
  if (description === undefined) return { withDefault, override };
  return { withDefault: withDefault.describe(description), override: override.describe(description) };
}
