import { buildFleet } from "../../../src/fleet/build-fleet.js";
import { findRoots, kustomizationFolders, referencedFolders, renderReadSet, withinAny } from "../../../src/policy/render/find-roots.js";
import { config, FLEET, overlay, repo } from "./render-test-helpers.js";

describe("kustomization folders and references", () => {
  test("one file per folder, in Kustomize's order of preference", () => {
    const folders = kustomizationFolders(["a/Kustomization", "a/kustomization.yml", "b/kustomization.yaml", "b/x.yaml", "kustomization.yml", "c/kustomization.yaml.bak"]);
    expect([...folders]).toEqual([
      ["", "kustomization.yml"],
      ["a", "a/kustomization.yml"],
      ["b", "b/kustomization.yaml"],
    ]);
  });

  test("resources, bases and components resolve against the folder; remote, absolute and escaping references are left out", () => {
    const text = "resources:\n  - ../../base\n  - ./svc.yaml\n  - https://github.com/x/y//z\n  - github.com/org/repo/base?ref=v1\n  - /etc/passwd\n  - ../../../../etc\nbases: [../common]\ncomponents: [../../components/tls]\n";
    expect(referencedFolders("envs/dev", text)).toEqual(["base", "envs/dev/svc.yaml", "envs/common", "components/tls"]);
    expect(referencedFolders("x", "resources: [unclosed")).toEqual([]);
    expect(referencedFolders("x", "- a list\n")).toEqual([]);
  });

  test("withinAny checks a path's folders", () => {
    expect(withinAny("base/x/y.yaml", new Set(["base"]))).toBe(true);
    expect(withinAny("based/y.yaml", new Set(["base"]))).toBe(false);
    expect(withinAny("anything", new Set([""]))).toBe(true);
  });
});

describe("findRoots", () => {
  const files = repo();
  const folders = kustomizationFolders(files.keys());
  const read = (p: string) => files.get(p);

  test("by default: the kustomizations under the fleet's paths that none there includes", () => {
    const c = config(FLEET);
    const withInner = new Map([...files, ["envs/dev/kustomization.yaml", overlay("../../base", "inner")], ["envs/dev/inner/kustomization.yaml", overlay("cm.yaml")]]);
    const f = kustomizationFolders(withInner.keys());
    const { roots, problems } = findRoots({ config: c, fleet: buildFleet(c), folders: f, readFile: (p) => withInner.get(p) });
    // base/ is outside every environment's paths; envs/dev/inner is included by envs/dev.
    expect(roots.map((r) => r.dir)).toEqual(["envs/dev", "envs/prod-eu-1", "envs/staging"]);
    expect(problems).toEqual([]);
  });

  test("kustomizations that only include each other (a cycle) still give one root, so the cycle is reported", () => {
    const c = config(FLEET);
    const cyclic = new Map([...files, ["envs/staging/kustomization.yaml", overlay("sub")], ["envs/staging/sub/kustomization.yaml", overlay("..")]]);
    const f = kustomizationFolders(cyclic.keys());
    const { roots } = findRoots({ config: c, fleet: buildFleet(c), folders: f, readFile: (p) => cyclic.get(p) });
    expect(roots.map((r) => r.dir)).toEqual(["envs/dev", "envs/prod-eu-1", "envs/staging"]);
  });

  test("render.roots replaces discovery; a listed folder without a kustomization is a warning; kustomize: off renders nothing", () => {
    const c = config(`${FLEET}render:\n  roots: [envs/staging, envs/nowhere]\n`);
    const { roots, problems } = findRoots({ config: c, fleet: buildFleet(c), folders, readFile: read });
    expect(roots).toEqual([{ dir: "envs/staging", file: "envs/staging/kustomization.yaml" }]);
    expect(problems).toEqual([expect.objectContaining({ code: "render_root_not_found", severity: "warning", file: ".github/fleetward.yml" })]);
    const off = config(`${FLEET}render:\n  kustomize: "off"\n`);
    expect(findRoots({ config: off, fleet: buildFleet(off), folders, readFile: read }).roots).toEqual([]);
  });

  test("renderReadSet: the trees of the kustomizations the roots reach, and only those", () => {
    const more = new Map([...files, ["other/kustomization.yaml", overlay("x.yaml")], ["other/x.yaml", "a: 1\n"]]);
    const f = kustomizationFolders(more.keys());
    const set = renderReadSet({ roots: [{ dir: "envs/dev", file: "envs/dev/kustomization.yaml" }], folders: f, readFile: (p) => more.get(p), paths: more.keys() });
    expect(set.folders).toEqual(["base", "envs/dev"]);
    expect(set.paths).toEqual(["base/deployment.yaml", "base/kustomization.yaml", "envs/dev/kustomization.yaml"]);
    // A file named outside the trees is listed too (so that the renderer refuses it by the load restriction).
    const escaping = new Map([...more, ["envs/dev/kustomization.yaml", overlay("../../base", "../../other/x.yaml")]]);
    const set2 = renderReadSet({ roots: [{ dir: "envs/dev", file: "envs/dev/kustomization.yaml" }], folders: f, readFile: (p) => escaping.get(p), paths: escaping.keys() });
    expect(set2.paths).toContain("other/x.yaml");
    expect(set2.paths).not.toContain("other/kustomization.yaml");
  });
});
