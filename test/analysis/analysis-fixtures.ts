import type { AnalysisConfig } from "../../src/config/analysis-schema.js";
import { analysisSchema } from "../../src/config/analysis-schema.js";

/** An analysis with the schema's defaults filled, overridden by `fields`. */
export function analysis(fields: Record<string, unknown> = {}): AnalysisConfig {
  return analysisSchema.parse({ name: "error-ratio", scopes: ["prod/canary"], query: "q", threshold: "< 0.01", ...fields });
}

export const T0 = new Date("2026-01-01T00:00:00Z");
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
