/** The text `fleetward test` prints for its results in the chosen `--output` format. */
import type { ConftestCheckResult } from "../../policy/conftest/conftest-types.js";
import { formatConftestJson, formatConftestStandard } from "../../policy/conftest/format-conftest.js";
import { formatConftestGithub, formatConftestJunit, formatConftestTable, formatConftestTap } from "./format-conftest-ci.js";
import type { TestOptions } from "./test-options.js";

export function formatConftestOutput(results: readonly ConftestCheckResult[], o: Pick<TestOptions, "output" | "suppressExceptions" | "junitHideMessage">): string {
  switch (o.output) {
    case "json":
      return formatConftestJson(results);
    case "tap":
      return formatConftestTap(results);
    case "table":
      return formatConftestTable(results);
    case "junit":
      return formatConftestJunit(results, o.junitHideMessage);
    case "github":
      return formatConftestGithub(results);
    case "stdout": {
      const lines = formatConftestStandard(results);
      return (o.suppressExceptions ? lines.filter((l) => !l.startsWith("EXCP ")) : lines).join("\n") + "\n";
    }
  }
}
