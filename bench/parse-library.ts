/**
 * Parser throughput measurement, callable by the lead's bench runner:
 *
 *   import { runParseBench } from "../test/rego/parser/parse-bench.js";
 *   const r = runParseBench(); // r.medianMs for ~3,500 lines of policy
 */
import { tokenize } from "../src/rego/lexer/tokenize.js";
import { parseModule } from "../src/rego/parser/parse-module.js";

const RULES = `
# METADATA
# title: Deny privileged containers (NN)
deny_privileged_NN contains msg if {
	some container in input.review.object.spec.containers
	container.securityContext.privileged == true
	msg := sprintf("container %s is privileged (NN)", [container.name])
}

deny_latest_NN contains msg if {
	some i
	container := input.review.object.spec.containers[i]
	endswith(container.image, ":latest")
	not exempt_NN[container.name]
	msg := sprintf("image %v uses latest", [container.image])
}

exempt_NN := {name | some name in object.get(data.config, ["exempt", "NN"], [])}

limits_NN[name] := cpu if {
	some c in input.review.object.spec.containers
	name := c.name
	cpu := object.get(c, ["resources", "limits", "cpu"], "0")
}

default allow_NN := false

allow_NN if {
	count(deny_privileged_NN) == 0
	count(deny_latest_NN) == 0
	every k, v in input.review.object.metadata.labels {
		is_string(k)
		count(v) < 64
	}
}

grade_NN(score) := "A" if {
	score >= 90
} else := "B" if {
	score >= 80
} else := "C"

replicas_ok_NN if input.review.object.spec.replicas * 2 + 1 > 3 - (1 % 2)

labels_NN := {k: v | some k, v in input.review.object.metadata.labels; startswith(k, "app.kubernetes.io/")}

message_NN := $"namespace {input.review.object.metadata.namespace} has {count(labels_NN)} labels"
`;

/** A synthetic but realistic v1 policy of at least `minLines` lines. */
export function benchPolicy(minLines = 3500): string {
  let text = "package fleetward.bench\n\nimport data.lib.k8s\n";
  for (let i = 0; text.split("\n").length < minLines; i++) text += RULES.replace(/NN/g, String(i));
  return text;
}

export interface ParseBenchResult {
  lines: number;
  tokens: number;
  runs: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  /** Median time of the lexer alone. */
  lexMedianMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** Parses `benchPolicy()` `runs` times after `warmup` runs; returns timing statistics. */
export function runParseBench(opts: { runs?: number; warmup?: number; minLines?: number } = {}): ParseBenchResult {
  const runs = opts.runs ?? 20;
  const warmup = opts.warmup ?? 5;
  const text = benchPolicy(opts.minLines ?? 3500);
  for (let i = 0; i < warmup; i++) {
    const r = parseModule(text, { file: "bench.rego" });
    if (r.diagnostics.length > 0) throw new Error(`bench policy does not parse: ${r.diagnostics[0]?.message}`);
  }
  const times: number[] = [];
  const lexTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    parseModule(text, { file: "bench.rego" });
    times.push(performance.now() - t0);
    const t1 = performance.now();
    tokenize(text);
    lexTimes.push(performance.now() - t1);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    lines: text.split("\n").length,
    tokens: tokenize(text).tokens.length,
    runs,
    minMs: sorted[0] ?? 0,
    medianMs: median(times),
    p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    lexMedianMs: median(lexTimes),
  };
}
