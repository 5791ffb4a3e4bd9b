import { collectConfigLayers } from "../../src/config/collect-config-layers.js";
import type { ConfigFileRef } from "../../src/config/read-extends.js";
import { configFileKey, MAX_EXTENDS_DEPTH, parseExtendsTarget, readExtends } from "../../src/config/read-extends.js";
import { loadConfig } from "../../src/config/load-config.js";

const from = { owner: "acme", repo: "payments" };
const ref = (owner: string, repo: string, path = ".github/fleetward.yml"): ConfigFileRef => ({ owner, repo, path });

describe("parseExtendsTarget", () => {
  test.each([
    [".github", ref("acme", ".github")],
    ["fleet-config", ref("acme", "fleet-config")],
    ["platform/fleet-config", ref("platform", "fleet-config")],
    ["platform/fleet-config:fleet.yml", ref("platform", "fleet-config", "fleet.yml")],
    ["platform/fleet-config:configs/base.yaml", ref("platform", "fleet-config", "configs/base.yaml")],
    ["fleet-config:shared/fleetward.yml", ref("acme", "fleet-config", "shared/fleetward.yml")],
    ["  platform/x  ", ref("platform", "x")],
  ])("%j", (value, expected) => {
    expect(parseExtendsTarget(value, from)).toEqual(expected);
  });

  test.each(["", "a/b/c", "-bad/repo", "owner/repo:", "owner/repo:file.json", "owner/repo:../x.yml", "owner/repo:/abs.yml", "owner/..", "owner/repo:a//b.yml", "ow ner/repo"])(
    "rejects %j",
    (value) => {
      expect(parseExtendsTarget(value, from)).toBeNull();
    },
  );
});

describe("readExtends", () => {
  const layer = (text: string) => ({ file: ".github/fleetward.yml", text });

  test("no _extends, or _extends: null", () => {
    expect(readExtends(layer("settings: {}\n"), { from })).toEqual({ target: null, diagnostics: [] });
    expect(readExtends(layer("_extends: null\n"), { from })).toEqual({ target: null, diagnostics: [] });
    expect(readExtends(layer(""), { from })).toEqual({ target: null, diagnostics: [] });
  });

  test("broken YAML is left to loadConfig", () => {
    expect(readExtends(layer("_extends: [\n"), { from })).toEqual({ target: null, diagnostics: [] });
  });

  test("returns the file to fetch next", () => {
    expect(readExtends(layer("# shared\n_extends: platform/fleet-config:fleet.yml\n"), { from })).toEqual({
      target: ref("platform", "fleet-config", "fleet.yml"),
      diagnostics: [],
    });
  });

  test("an invalid value", () => {
    expect(readExtends(layer("settings: {}\n_extends: a/b/c\n"), { from }).diagnostics).toEqual([
      {
        code: "config_extends_invalid",
        severity: "error",
        message: '_extends: "a/b/c" is not "repo", "owner/repo" or "owner/repo:path/to/file.yml"',
        file: ".github/fleetward.yml",
        line: 2,
        column: 11,
        endLine: 2,
        endColumn: 16,
      },
    ]);
  });

  test("a non-string value", () => {
    const { target, diagnostics } = readExtends(layer("_extends:\n  - a\n"), { from });
    expect(target).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      ["config_extends_invalid", '_extends: expected a string such as "owner/repo", got a list', 2, 3],
    ]);
  });

  test("a loop back to a file already in the chain (owner and repo compared case-insensitively)", () => {
    const chain = [ref("acme", "payments"), ref("platform", "fleet-config", "fleet.yml")];
    const { target, diagnostics } = readExtends(
      { file: "platform/fleet-config:fleet.yml", text: "_extends: ACME/Payments\n" },
      { from: { owner: "platform", repo: "fleet-config" }, chain },
    );
    expect(target).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.message, d.file, d.line, d.column, d.endColumn])).toEqual([
      [
        "config_extends_loop",
        "_extends: extends loop acme/payments:.github/fleetward.yml → platform/fleet-config:fleet.yml → ACME/Payments:.github/fleetward.yml",
        "platform/fleet-config:fleet.yml",
        1,
        11,
        24,
      ],
    ]);
  });

  test("depth: five hops are followed, the sixth is refused", () => {
    const chainOf = (n: number) => Array.from({ length: n }, (_, i) => ref("acme", `r${i}`));
    expect(readExtends(layer("_extends: next\n"), { from, chain: chainOf(MAX_EXTENDS_DEPTH) }).target).toEqual(ref("acme", "next"));
    const refused = readExtends(layer("_extends: next\n"), { from, chain: chainOf(MAX_EXTENDS_DEPTH + 1) });
    expect(refused.target).toBeNull();
    expect(refused.diagnostics).toEqual([
      {
        code: "config_extends_depth",
        severity: "error",
        message: "_extends: more than 5 levels of _extends; stopped before acme/next:.github/fleetward.yml",
        file: ".github/fleetward.yml",
        line: 1,
        column: 11,
        endLine: 1,
        endColumn: 15,
      },
    ]);
  });

  test("configFileKey ignores the case of owner and repo but not of the path", () => {
    expect(configFileKey(ref("ACME", "Repo", "a.yml"))).toBe(configFileKey(ref("acme", "repo", "a.yml")));
    expect(configFileKey(ref("acme", "repo", "A.yml"))).not.toBe(configFileKey(ref("acme", "repo", "a.yml")));
  });
});

describe("collectConfigLayers", () => {
  /** An in-memory repository set; records every fetch and fails on unexpected ones. */
  function files(entries: Record<string, string>) {
    const fetched: string[] = [];
    const fetchFile = async (r: ConfigFileRef) => {
      const key = `${r.owner}/${r.repo}:${r.path}`;
      fetched.push(key);
      return entries[key] ?? null;
    };
    return { fetchFile, fetched };
  }

  test("repo file, extends chain and org defaults, lowest precedence first", async () => {
    const fs = files({
      "acme/payments:.github/fleetward.yml": "_extends: platform/fleet:base.yml\nsettings: { rollback: { lookback: 1d } }\n",
      "platform/fleet:base.yml": "_extends: platform/fleet:root.yml\nsettings: { rollback: { lookback: 2d, autoMerge: true } }\n",
      "platform/fleet:root.yml": "settings: { promotion: { mode: auto } }\n",
      "acme/.github:.github/fleetward.yml": "settings: { policy: { enforcement: warn }, promotion: { mode: manual } }\n",
    });
    const result = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fs.fetchFile });
    expect(result.diagnostics).toEqual([]);
    expect(result.repoFileFound).toBe(true);
    expect(result.layers.map((l) => [l.source, l.file])).toEqual([
      ["org", "acme/.github:.github/fleetward.yml"],
      ["extends", "platform/fleet:root.yml"],
      ["extends", "platform/fleet:base.yml"],
      ["repo", ".github/fleetward.yml"],
    ]);
    expect(fs.fetched).toEqual([
      "acme/payments:.github/fleetward.yml",
      "platform/fleet:base.yml",
      "platform/fleet:root.yml",
      "acme/.github:.github/fleetward.yml",
    ]);
    const { config } = loadConfig({ layers: result.layers });
    expect(config?.settings).toEqual({
      policy: { enforcement: "warn", timeout: "30s" },
      promotion: { mode: "auto", soakTime: "0s" },
      rollback: { autoMerge: true, lookback: "1d" },
    });
  });

  test("a missing extends target is a diagnostic at _extends", async () => {
    const fs = files({ "acme/payments:.github/fleetward.yml": "settings: {}\n_extends: gone\n" });
    const result = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fs.fetchFile, orgDefaults: false });
    expect(result.layers.map((l) => l.source)).toEqual(["repo"]);
    expect(result.diagnostics).toEqual([
      {
        code: "config_extends_not_found",
        severity: "error",
        message: "_extends: acme/gone:.github/fleetward.yml does not exist or is not readable by the app",
        file: ".github/fleetward.yml",
        line: 2,
        column: 11,
        endLine: 2,
        endColumn: 15,
      },
    ]);
    expect(fs.fetched).toEqual(["acme/payments:.github/fleetward.yml", "acme/gone:.github/fleetward.yml"]);
  });

  test("loadConfig withholds the config when gathering the layers failed, and still validates them", async () => {
    const fs = files({ "acme/payments:.github/fleetward.yml": "_extends: gone\nsettings: { rollback: { lookback: soon } }\n" });
    const collected = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fs.fetchFile, orgDefaults: false });
    const result = loadConfig({ layers: collected.layers, upstreamDiagnostics: collected.diagnostics });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["config_extends_not_found", 1],
      ["config_invalid_duration", 2],
    ]);
    const fine = files({ "acme/payments:.github/fleetward.yml": "_extends: gone\n" });
    const partial = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fine.fetchFile, orgDefaults: false });
    expect(loadConfig({ layers: partial.layers }).config).toBeDefined();
    expect(loadConfig({ layers: partial.layers, upstreamDiagnostics: partial.diagnostics }).config).toBeUndefined();
  });

  test("a loop stops with a diagnostic and keeps the layers read so far", async () => {
    const fs = files({
      "acme/payments:.github/fleetward.yml": "_extends: a\n",
      "acme/a:.github/fleetward.yml": "_extends: b\n",
      "acme/b:.github/fleetward.yml": "_extends: a\n",
    });
    const result = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fs.fetchFile, orgDefaults: false });
    expect(result.layers.map((l) => l.file)).toEqual(["acme/b:.github/fleetward.yml", "acme/a:.github/fleetward.yml", ".github/fleetward.yml"]);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([["config_extends_loop", "acme/b:.github/fleetward.yml"]]);
  });

  test("a chain longer than five hops stops at the limit", async () => {
    const entries: Record<string, string> = { "acme/payments:.github/fleetward.yml": "_extends: r1\n" };
    for (let i = 1; i <= 8; i++) entries[`acme/r${i}:.github/fleetward.yml`] = `_extends: r${i + 1}\n`;
    const fs = files(entries);
    const result = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fs.fetchFile, orgDefaults: false });
    expect(result.layers).toHaveLength(1 + MAX_EXTENDS_DEPTH);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([["config_extends_depth", "acme/r5:.github/fleetward.yml"]]);
  });

  test("without a repo file, only the org defaults apply", async () => {
    const fs = files({ "acme/.github:.github/fleetward.yml": "settings: { policy: { enforcement: dryrun } }\n" });
    const result = await collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: fs.fetchFile });
    expect(result.repoFileFound).toBe(false);
    expect(result.layers.map((l) => l.source)).toEqual(["org"]);
  });

  test("the org's own .github repository is not read twice", async () => {
    const fs = files({ "acme/.github:.github/fleetward.yml": "settings: {}\n" });
    const result = await collectConfigLayers({ owner: "acme", repo: ".github", fetchFile: fs.fetchFile });
    expect(result.layers.map((l) => l.source)).toEqual(["repo"]);
    expect(fs.fetched).toEqual(["acme/.github:.github/fleetward.yml"]);
  });

  test("a custom path for the repo file", async () => {
    const fs = files({ "acme/payments:config/fleetward.yaml": "settings: {}\n" });
    const result = await collectConfigLayers({ owner: "acme", repo: "payments", path: "config/fleetward.yaml", fetchFile: fs.fetchFile, orgDefaults: false });
    expect(result.layers).toEqual([{ source: "repo", file: "config/fleetward.yaml", text: "settings: {}\n" }]);
  });

  test("fetch failures propagate to the caller", async () => {
    await expect(
      collectConfigLayers({ owner: "acme", repo: "payments", fetchFile: () => Promise.reject(new Error("HTTP 502")) }),
    ).rejects.toThrow("HTTP 502");
  });
});
