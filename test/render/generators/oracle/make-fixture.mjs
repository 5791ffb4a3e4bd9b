// Builds generators-fixture.json: random configMapGenerator/secretGenerator entries rendered by a real Kustomize
// (`kubectl kustomize`, v5.5.0). An oracle only: the test reads the committed fixture and never runs kubectl.
// Usage: node test/render/generators/oracle/make-fixture.mjs [cases=60] [seed=12]
// Values avoid U+2028: go-yaml folds it as a line break when Kustomize re-reads its own YAML, so a value holding it
// comes out changed (and hashed changed); that quirk is not reproduced.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kustomizeOnce, seeded } from "./kustomize-once.mjs";

const count = Number(process.argv[2] ?? 60);
const rand = seeded(Number(process.argv[3] ?? 12));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (n) => Math.floor(rand() * n);

const KEY_CHARS = ["a", "B", "z", "_", "-", ".", "1", "é", "ｚ", "\u{1F600}", "K"];
const VALUE_PIECES = ["x", "1", "<", ">", "&", " ", "\"", "'", "=", "é", "\u{1F600}", "\t", "\\", "$", "#", "yes", "0777", "null", ":"];
const key = () => Array.from({ length: 1 + int(6) }, () => pick(KEY_CHARS)).join("");
const value = () => {
  const v = Array.from({ length: int(12) }, () => pick(VALUE_PIECES)).join("");
  return rand() < 0.15 ? `"${v}"` : rand() < 0.1 ? `'${v}'` : v;
};
const text = () => Array.from({ length: int(5) }, () => value()).join(pick(["\n", "\r\n", " "])) + (rand() < 0.5 ? "\n" : "");
const envText = (keys) => {
  const lines = [];
  if (rand() < 0.2) lines.push("\uFEFF# header");
  for (const k of keys) {
    if (rand() < 0.2) lines.push(pick(["", "   ", "# comment", "  # indented comment"]));
    lines.push(`${pick(["", "  ", "\t"])}${k}${rand() < 0.15 ? "" : "=" + value().replace(/[\r\n]/g, "")}`);
  }
  return lines.join(rand() < 0.2 ? "\r\n" : "\n") + "\n";
};
const bytes = () => {
  const n = int(120);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rand() < 0.7 ? 32 + int(90) : int(256);
  return out;
};

function entry(kind, name, files) {
  const used = new Set();
  const fresh = () => {
    let k;
    do k = key(); while (used.has(k));
    used.add(k);
    return k;
  };
  const e = { name };
  const literals = Array.from({ length: int(4) }, () => `${fresh()}=${value()}`);
  if (literals.length) e.literals = literals;
  if (rand() < 0.4) {
    const path = `${name}.env`;
    files[path] = Buffer.from(envText(Array.from({ length: 1 + int(3) }, fresh)), "utf8");
    e.envs = [path];
  }
  const sources = [];
  for (let i = int(3); i > 0; i--) {
    const path = `${name}-${i}.dat`;
    files[path] = rand() < 0.5 ? bytes() : Buffer.from(text(), "utf8");
    sources.push(rand() < 0.5 ? `${fresh()}=${path}` : path);
    used.add(path);
  }
  if (sources.length) e.files = sources;
  if (kind === "secret" && rand() < 0.5) e.type = pick(["Opaque", "kubernetes.io/tls", "x/y"]);
  if (rand() < 0.3) e.options = { labels: { [key().replace(/[^a-zA-Z]/g, "") || "l"]: value() }, disableNameSuffixHash: rand() < 0.3 };
  return e;
}

const cases = [];
for (let c = 0; c < count; c++) {
  const files = {};
  const kustomization = { configMapGenerator: [], secretGenerator: [] };
  for (let i = int(3) + 1; i > 0; i--) kustomization.configMapGenerator.push(entry("configmap", `cm${i}`, files));
  for (let i = int(3); i > 0; i--) kustomization.secretGenerator.push(entry("secret", `s${i}`, files));
  if (rand() < 0.3) kustomization.generatorOptions = { labels: { g: value() }, ...(rand() < 0.3 ? { disableNameSuffixHash: true } : {}) };
  const result = kustomizeOnce({ ...files, "kustomization.yaml": JSON.stringify(kustomization, null, 1) });
  cases.push({ kustomization, files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, b.toString("base64")])), ...result });
}
const out = join(dirname(fileURLToPath(import.meta.url)), "generators-fixture.json");
writeFileSync(out, JSON.stringify({ oracle: "kubectl kustomize (Kustomize v5.5.0)", cases }, null, 1) + "\n");
console.log(`${cases.length} cases, ${cases.filter((c) => c.error).length} errors -> ${out}`);
