/**
 * The `dashboards:` section of `.github/fleetward.yml`: Grafana (or any http/https) dashboard links that
 * incidents and rollback pull requests show per component, as URL templates with `{{environment}}`,
 * `{{cluster}}` and `{{component}}`. Optional without defaults: configurations without it parse as before.
 *
 * This file must not import `schema.ts` (which imports it).
 */
import { z } from "zod";

/** The placeholders a dashboard URL may use; their values are URL-encoded when filled in. */
export const DASHBOARD_PLACEHOLDERS = ["environment", "cluster", "component"] as const;
export type DashboardPlaceholder = (typeof DASHBOARD_PLACEHOLDERS)[number];

/** `{{ name }}` in a dashboard URL template. */
export const DASHBOARD_PLACEHOLDER_RE = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

const DESCRIPTIONS = {
  section:
    "Dashboard links (e.g. Grafana) that incidents and rollback pull requests show next to the alert's own graph link (see docs/rollback.md).",
  components:
    "Component name → dashboard URL, e.g. `checkout: https://grafana.example.com/d/abc/checkout?var-env={{environment}}&var-cluster={{cluster}}`.",
  default: "Dashboard URL for components not listed in `components` (and for targets without a component).",
  url: "An http(s) URL; `{{environment}}`, `{{cluster}}` (empty when the alert concerns a whole environment or several clusters) and `{{component}}` are replaced, URL-encoded.",
} as const;

/** Why a dashboard URL template is refused, or null when it is fine. */
export function dashboardUrlProblem(template: string): string | null {
  const unknown = [...template.matchAll(DASHBOARD_PLACEHOLDER_RE)].map((m) => m[1] ?? "").filter((n) => !(DASHBOARD_PLACEHOLDERS as readonly string[]).includes(n));
  if (unknown.length > 0) return `unknown placeholder {{${unknown[0]}}}: use ${DASHBOARD_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`;
  let url: URL;
  try {
    url = new URL(template.replace(DASHBOARD_PLACEHOLDER_RE, "x"));
  } catch {
    return "not an absolute URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `only http and https dashboard links are allowed, not ${url.protocol}`;
  return null;
}

const dashboardUrl = z
  .string()
  .max(2000)
  .superRefine((text, ctx) => {
    const problem = dashboardUrlProblem(text);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ title: "dashboard URL", description: DESCRIPTIONS.url });

export const dashboardsSectionSchema = z
  .strictObject({
    components: z.record(z.string().min(1).max(200), dashboardUrl).optional().describe(DESCRIPTIONS.components),
    default: dashboardUrl.optional().describe(DESCRIPTIONS.default),
  })
  .optional()
  .meta({ title: "Dashboards", description: DESCRIPTIONS.section });

export type DashboardsConfig = NonNullable<z.output<typeof dashboardsSectionSchema>>;
