/** The example alert webhook bodies kept in the repository (test/fixtures/alerts, see its README for their source). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ALERT_FIXTURES = join(import.meta.dirname, "..", "fixtures", "alerts");

export function readAlertFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(ALERT_FIXTURES, name), "utf8"));
}
