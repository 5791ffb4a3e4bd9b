import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.js";
import type { ConfigLayer } from "../../src/config/parse-config-layer.js";
import { POLICY_LIBRARY_NAMES } from "../../src/config/policy-schema.js";

const repo = (text: string): ConfigLayer => ({ source: "repo", file: ".github/fleetward.yml", text });
const org = (text: string): ConfigLayer => ({ source: "org", file: "acme/.github:.github/fleetward.yml", text });

describe("policies section", () => {
  test("the library names are exactly the folders of policies/library", () => {
    const folders = readdirSync(join(process.cwd(), "policies", "library"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect([...POLICY_LIBRARY_NAMES].sort()).toEqual(folders);
  });

  test("library policies are enabled by name with their parameters; {} means no parameters", () => {
    const { config, diagnostics } = loadConfig({
      layers: [repo("policies:\n  library:\n    approved-image-repos: { repos: [\"r.example.com/\"] }\n    required-probes: {}\n")],
    });
    expect(diagnostics).toEqual([]);
    expect(config?.policies.library).toEqual({ "approved-image-repos": { repos: ["r.example.com/"] }, "required-probes": {} });
  });

  test("an unknown library name is config_unknown_policy at its key, with a suggestion", () => {
    const { config, diagnostics } = loadConfig({
      layers: [repo("policies:\n  library:\n    approved-image-repo: { repos: [a/] }\n")],
    });
    expect(config).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "config_unknown_policy", severity: "error", line: 3 });
    expect(diagnostics[0]?.message).toContain('unknown library policy "approved-image-repo" (did you mean "approved-image-repos"?)');
  });

  test("org defaults and the repository's library entries merge", () => {
    const { config, diagnostics } = loadConfig({
      layers: [org("policies:\n  library:\n    disallow-privileged: {}\n"), repo("policies:\n  library:\n    disallow-latest-tag: { exemptImages: [x/] }\n")],
    });
    expect(diagnostics).toEqual([]);
    expect(Object.keys(config?.policies.library ?? {}).sort()).toEqual(["disallow-latest-tag", "disallow-privileged"]);
  });

  test("bad globs, a glob as the Conftest folder and unknown keys are reported", () => {
    const { diagnostics } = loadConfig({
      layers: [repo("policies:\n  conftest:\n    dir: \"policy/**\"\n    data: [\"/abs\"]\n  gatekeeper:\n    paths: [\"../x\"]\n  bundle: {}\n")],
    });
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual(
      expect.arrayContaining([
        ["config_schema", 3],
        ["config_invalid_glob", 4],
        ["config_invalid_glob", 6],
        ["config_unknown_key", 7],
      ]),
    );
  });
});
