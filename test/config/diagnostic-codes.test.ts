import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_DIAGNOSTIC_CODES, formatConfigDiagnostic } from "../../src/config/config-diagnostic.js";

const root = process.cwd();

test("every diagnostic code is documented in docs/configuration.md", () => {
  const docs = readFileSync(join(root, "docs", "configuration.md"), "utf8");
  const missing = CONFIG_DIAGNOSTIC_CODES.filter((code) => !docs.includes(`| \`${code}\` |`));
  expect(missing).toEqual([]);
});

test("every diagnostic code is exercised by a config test", () => {
  const dir = join(root, "test", "config");
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts") && f !== "diagnostic-codes.test.ts")
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  const missing = CONFIG_DIAGNOSTIC_CODES.filter((code) => !sources.includes(`"${code}"`));
  expect(missing).toEqual([]);
});

test("codes are unique and follow the config_ prefix", () => {
  expect(new Set(CONFIG_DIAGNOSTIC_CODES).size).toBe(CONFIG_DIAGNOSTIC_CODES.length);
  for (const code of CONFIG_DIAGNOSTIC_CODES) expect(code).toMatch(/^config_[a-z_]+$/);
});

test("formatConfigDiagnostic", () => {
  expect(
    formatConfigDiagnostic({
      code: "config_schema",
      severity: "warning",
      message: "m",
      file: "f.yml",
      line: 3,
      column: 4,
      endLine: 3,
      endColumn: 9,
    }),
  ).toBe("f.yml:3:4: warning config_schema: m");
});
