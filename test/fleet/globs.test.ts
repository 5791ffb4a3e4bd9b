import { checkGlob } from "../../src/fleet/check-glob.js";
import { globRoot } from "../../src/fleet/glob-root.js";
import { globsOverlap } from "../../src/config/check-config-semantics.js";

describe("globRoot", () => {
  test.each([
    ["envs/dev/**", "envs/dev/"],
    ["envs/dev/*.yaml", "envs/dev/"],
    ["envs/dev-*/**", "envs/"],
    ["envs/{dev,qa}/**", "envs/"],
    ["**/*.yaml", ""],
    ["envs/dev/kustomization.yaml", "envs/dev/"],
    ["file.yaml", ""],
    ["envs/[ab]/x", "envs/"],
    ["envs/dev/?/x", "envs/dev/"],
  ])("%s → %j", (glob, root) => {
    expect(globRoot(glob)).toBe(root);
  });
});

describe("checkGlob", () => {
  test.each(["envs/dev/**", "**/*.yaml", "envs/{dev,qa}/**", "envs/[a-z]*/x.yaml", ".github/**", "a/+(b|c)/d"])("accepts %s", (glob) => {
    expect(checkGlob(glob)).toBeNull();
  });

  test.each([
    ["", "glob is empty"],
    ["  ", "glob is empty"],
    [" envs/**", 'glob " envs/**" has leading or trailing spaces'],
    ["/envs/**", 'glob "/envs/**" is absolute; use a path relative to the repository root'],
    ["!envs/**", 'glob "!envs/**" is negated; negation is not supported here (use manifests.exclude)'],
    ["envs\\dev", 'glob "envs\\\\dev" contains a backslash; use forward slashes'],
    ["envs/../x", 'glob "envs/../x" contains a "." or ".." segment; paths are relative to the repository root'],
    ["./envs/**", 'glob "./envs/**" contains a "." or ".." segment; paths are relative to the repository root'],
    ["envs/", 'glob "envs/" ends with "/"; use "envs/**" to match a folder'],
    ["envs//x", 'glob "envs//x" contains an empty path segment ("//")'],
    ["envs/[dev/**", 'glob "envs/[dev/**" is malformed: unbalanced "[" and "]"'],
    ["envs/{dev/**", 'glob "envs/{dev/**" is malformed: unbalanced "{" and "}"'],
    ["envs/@(a|b/**", 'glob "envs/@(a|b/**" is malformed: unbalanced "(" and ")"'],
    ["envs/]x[", 'glob "envs/]x[" is malformed: unbalanced "[" and "]"'],
    ["a".repeat(1001), "glob is longer than 1000 characters"],
  ])("rejects %j", (glob, message) => {
    expect(checkGlob(glob)).toBe(message);
  });
});

describe("globsOverlap", () => {
  test.each([
    ["envs/**", "envs/dev/**", true],
    ["envs/dev/**", "envs/dev/**", true],
    ["envs/dev/**", "envs/prod/**", false],
    ["envs/dev/**", "envs/develop/**", false],
    ["envs/dev/*.yaml", "envs/**", true],
    ["clusters/eu-1/**", "envs/prod/**", false],
    ["envs/prod/eu/**", "envs/prod/**", true],
    ["envs/dev/a.yaml", "envs/dev/*.yaml", true],
    ["envs/dev/a.yaml", "envs/dev/b.yaml", false],
  ])("%s vs %s → %s", (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});
