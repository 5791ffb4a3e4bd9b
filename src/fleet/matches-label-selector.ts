import { z } from "zod";

/** A Kubernetes label selector: every `matchLabels` pair and every expression must hold. */
export const labelSelectorSchema = z
  .strictObject({
    matchLabels: z.record(z.string(), z.string()).optional().describe("Labels that must be present with exactly these values."),
    matchExpressions: z
      .array(
        z.strictObject({
          key: z.string().describe("Label key the requirement is about."),
          operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]).describe("How the label is compared with `values`."),
          values: z.array(z.string()).optional().describe("Values for In and NotIn; must be absent or empty for Exists and DoesNotExist."),
        }),
      )
      .optional()
      .describe("Set-based requirements."),
  })
  .describe("Kubernetes-style label selector; an empty selector selects everything.");

export type LabelSelector = z.output<typeof labelSelectorSchema>;

/**
 * Kubernetes semantics: `In` needs the key with one of the values; `NotIn` holds when the key is absent or
 * its value is not listed; `Exists`/`DoesNotExist` test the key only. An empty selector matches everything.
 */
export function matchesLabelSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector): boolean {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(key) || labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const values = req.values ?? [];
    const present = has(req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case "In":
        if (!present || value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (present && value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
    }
  }
  return true;
}
