/**
 * Writes `schema/fleetward.schema.json` and the README's configuration reference from src/config/schema.ts.
 * Run after `npm run build`: `node dist/scripts/generate-config-artifacts.js` (from the repository root), or
 * without building: `FLEETWARD_WRITE_ARTIFACTS=1 npm run test:unit -- test/config/config-artifacts.test.ts`.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { generateConfigArtifacts, replaceReadmeSection } from "../src/config/generate-config-artifacts.js";

export function writeConfigArtifacts(repoRoot: string): string[] {
  const { schemaJson, readmeSection } = generateConfigArtifacts();
  mkdirSync(join(repoRoot, "schema"), { recursive: true });
  writeFileSync(join(repoRoot, "schema", "fleetward.schema.json"), schemaJson);
  const readmePath = join(repoRoot, "README.md");
  const readme = replaceReadmeSection(readFileSync(readmePath, "utf8"), readmeSection);
  if (readme === null) throw new Error("README.md lacks the <!-- config-reference:start/end --> markers");
  writeFileSync(readmePath, readme);
  return ["schema/fleetward.schema.json", "README.md"];
}

if (process.argv[1] !== undefined && /generate-config-artifacts\.[jt]s$/.test(process.argv[1])) {
  for (const file of writeConfigArtifacts(process.cwd())) console.log(`wrote ${file}`);
}
