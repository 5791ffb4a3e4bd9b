import { DASHBOARD_PLACEHOLDER_RE, type DashboardPlaceholder, type DashboardsConfig } from "../config/dashboards-schema.js";
import { markdownLink } from "./markdown-text.js";

export interface DashboardLink {
  label: string;
  url: string;
}


function fill(template: string, values: Record<DashboardPlaceholder, string>): string {
  return template.replace(DASHBOARD_PLACEHOLDER_RE, (_, name: string) => encodeURIComponent(values[name as DashboardPlaceholder] ?? ""));
}

/**
 * The dashboard links of a target (`cluster` set only when it is exactly one cluster) for `components` (the
 * target's, or the reverted files'): one per component (its own URL, else `default`), or the default alone when
 * no component is known. Links that come out the same are listed once. Pure.
 */
export function dashboardLinks(
  config: DashboardsConfig | undefined,
  target: { environment: string; cluster?: string },
  components: readonly string[],
): DashboardLink[] {
  if (config === undefined) return [];
  const values = { environment: target.environment, cluster: target.cluster ?? "" };
  const links: DashboardLink[] = [];
  const add = (label: string, template: string | undefined, component: string) => {
    if (template === undefined) return;
    const url = fill(template, { ...values, component });
    if (!links.some((l) => l.url === url)) links.push({ label, url });
  };
  const own = config.components ?? {};
  for (const component of components) {
    add(`${component} dashboard`, Object.prototype.hasOwnProperty.call(own, component) ? own[component] : config.default, component);
  }
  if (components.length === 0) add("dashboard", config.default, "");
  return links;
}

/** Body lines for the links: a blank line and `Dashboards: [a](…) · [b](…)`, or nothing. */
export function renderDashboardLinks(links: readonly DashboardLink[]): string[] {
  const rendered = links.map((l) => markdownLink(l.label, l.url)).filter((l): l is string => l !== null);
  return rendered.length > 0 ? ["", `Dashboards: ${rendered.join(" · ")}`] : [];
}
