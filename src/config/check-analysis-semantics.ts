/**
 * Semantic checks of `analyses:`: unique names, scopes that name an environment or a wave, and Prometheus
 * server names the app knows. Server problems are warnings, not errors: an error would withhold the
 * configuration and the app would fall back to an older one, perhaps without the analysis (failing open); with a
 * warning the analysis stays and its gate fails closed naming the server.
 */
import type { SemanticIssue } from "./check-config-semantics.js";
import { formatConfigPath, suggestion } from "./check-config-semantics.js";
import { analysesOf, analysisServerOf } from "./analysis-schema.js";
import { effectiveSettings } from "./effective-settings.js";
import type { PathSegment } from "./parse-config-layer.js";
import { promotionConfigOf } from "./promotion-schema.js";
import type { FleetwardConfig } from "./schema.js";

/**
 * `servers`: the names of the Prometheus servers the app defines; undefined when unknown (the CLI), which skips
 * the server checks.
 */
export function checkAnalysisSemantics(config: FleetwardConfig, servers?: readonly string[]): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const push = (code: SemanticIssue["code"], path: PathSegment[], message: string, severity: SemanticIssue["severity"] = "error") =>
    issues.push({ code, severity, path, message: `${formatConfigPath(path)}: ${message}` });
  const waves = promotionConfigOf(config).waves;
  const envs = new Set(config.environments.map((e) => e.name));
  const seen = new Map<string, number>();
  analysesOf(config).forEach((analysis, i) => {
    const first = seen.get(analysis.name);
    if (first !== undefined) push("config_duplicate_name", ["analyses", i, "name"], `duplicate analysis name "${analysis.name}" (first defined at analyses[${first}])`);
    else seen.set(analysis.name, i);
    analysis.scopes.forEach((scope, si) => {
      const [env = "", wave, extra] = scope.split("/");
      if (!envs.has(env)) push("config_unknown_environment", ["analyses", i, "scopes", si], `"${scope}" names no environment${suggestion(env, [...envs])}`);
      else if (extra !== undefined || (wave !== undefined && !(waves[env] ?? []).some((w) => w.name === wave))) {
        push("config_unknown_environment", ["analyses", i, "scopes", si], `"${scope}" names no wave of "${env}"`);
      }
    });
    if (servers === undefined) return;
    const where: PathSegment[] = analysis.server !== undefined ? ["analyses", i, "server"] : ["analyses", i];
    for (const name of serversOf(config, analysis)) {
      if (name === null) push("config_unknown_analysis_server", where, "no Prometheus server: set `server` here or `settings.analysis.server`", "warning");
      else if (!servers.includes(name)) {
        push("config_unknown_analysis_server", where, `unknown Prometheus server "${name}"${suggestion(name, servers)}; the app defines ${servers.length === 0 ? "none" : servers.map((s) => `"${s}"`).join(", ")}`, "warning");
      }
    }
  });
  return issues;
}

/** The distinct servers (null: none set) an analysis asks across the clusters (or clusterless environments) of its scopes. */
function serversOf(config: FleetwardConfig, analysis: ReturnType<typeof analysesOf>[number]): Set<string | null> {
  const out = new Set<string | null>();
  const envNames = new Set(config.environments.map((e) => e.name));
  for (const scope of analysis.scopes) {
    const env = scope.split("/")[0] ?? "";
    if (!envNames.has(env)) continue;
    const clusters = config.clusters.filter((c) => c.environment === env);
    if (clusters.length === 0) out.add(analysisServerOf(analysis, effectiveSettings(config, { environment: env })));
    for (const c of clusters) out.add(analysisServerOf(analysis, effectiveSettings(config, { cluster: c.name })));
  }
  return out;
}
