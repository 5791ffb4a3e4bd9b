import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { writeConfigArtifacts } from "../../scripts/generate-config-artifacts.js";
import {
  extractReadmeSection,
  generateConfigArtifacts,
  README_END,
  README_START,
  replaceReadmeSection,
} from "../../src/config/generate-config-artifacts.js";
import { fleetwardConfigSchema } from "../../src/config/schema.js";

const root = process.cwd();
const HOW = "regenerate with `FLEETWARD_WRITE_ARTIFACTS=1 npm run test:unit -- test/config/config-artifacts.test.ts` (or `npm run build && node dist/scripts/generate-config-artifacts.js`)";

if (process.env.FLEETWARD_WRITE_ARTIFACTS === "1") {
  test("writes the generated artifacts", () => {
    expect(writeConfigArtifacts(root)).toEqual(["schema/fleetward.schema.json", "README.md"]);
  });
}

describe("generated configuration artifacts", () => {
  const artifacts = generateConfigArtifacts();

  test("schema/fleetward.schema.json is up to date", () => {
    const committed = readFileSync(join(root, "schema", "fleetward.schema.json"), "utf8");
    if (committed !== artifacts.schemaJson) throw new Error(`schema/fleetward.schema.json is stale: ${HOW}`);
  });

  test("the README configuration reference is up to date", () => {
    const committed = extractReadmeSection(readFileSync(join(root, "README.md"), "utf8"));
    if (committed === null) throw new Error("README.md lacks the config-reference markers");
    if (committed !== artifacts.readmeSection) throw new Error(`README.md configuration reference is stale: ${HOW}`);
  });

  test("the JSON Schema is draft 2020-12 and rejects unknown keys where zod does", () => {
    const schema = JSON.parse(artifacts.schemaJson) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const cases: unknown[] = [
      {},
      { environments: [{ name: "dev", paths: ["envs/dev/**"] }] },
      { environments: [{ name: "dev", paths: ["envs/dev/**"], extra: 1 }] },
      { settings: { rollback: { lookback: "7d", autoMerge: true } } },
      { settings: { rollback: { lookback: "7 days" } } },
      { settings: { policy: { enforcement: "block" } } },
      { clusters: [{ name: "eu", environment: "prod", labels: { wave: "1" } }] },
      { clusters: [{ name: "eu", environment: "prod", labels: { wave: 1 } }] },
      { clusters: [{ name: "eu", environment: "prod", settings: { promotion: { mode: "auto" } } }] },
      { clusters: [{ name: "eu", environment: "prod", settings: { promotion: { mod: "auto" } } }] },
      { components: { depth: 0 } },
      { unknownTopLevel: true },
    ];
    for (const value of cases) {
      expect({ value, valid: validate(value) }).toEqual({ value, valid: fleetwardConfigSchema.safeParse(value).success });
    }
  });

  test("the README section documents every field with its default", () => {
    const s = artifacts.readmeSection;
    expect(s.startsWith(README_START)).toBe(true);
    expect(s.endsWith(README_END)).toBe(true);
    for (const field of [
      "`environments[].promotedFrom`",
      "`clusters[].labels`",
      "`components.depth`",
      "`manifests.exclude`",
      "`settings.rollback.autoMerge`",
      "`settings.rollback.lookback`",
      "`settings.policy.enforcement`",
      "`settings.promotion.mode`",
    ]) {
      expect(s).toContain(field);
    }
    expect(s).toMatch(/`settings\.rollback\.autoMerge` \| boolean \| `false` \|/);
    expect(s).toMatch(/`settings\.rollback\.lookback` \| duration \| `"7d"` \|/);
    expect(s).toContain("#### SettingsOverride");
  });

  test("replaceReadmeSection only touches the marked section", () => {
    const readme = `# T\n\nintro\n${README_START}\nold\n${README_END}\n\noutro\n`;
    expect(replaceReadmeSection(readme, `${README_START}\nnew\n${README_END}`)).toBe(`# T\n\nintro\n${README_START}\nnew\n${README_END}\n\noutro\n`);
    expect(replaceReadmeSection("# no markers\n", "x")).toBeNull();
    expect(replaceReadmeSection(`${README_END}\n${README_START}`, "x")).toBeNull();
  });
});
