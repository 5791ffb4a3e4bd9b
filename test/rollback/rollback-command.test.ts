import { authorizeRollback } from "../../src/rollback/authorize-rollback.js";
import { parseRollbackCommand } from "../../src/rollback/parse-rollback-command.js";
import { resolveCommandTarget } from "../../src/rollback/resolve-command-target.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

describe("parseRollbackCommand", () => {
  test.each([
    ["/rollback", { kind: "rollback", target: null }],
    ["/rollback prod", { kind: "rollback", target: "prod" }],
    ["  /rollback   prod-eu-1  ", { kind: "rollback", target: "prod-eu-1" }],
    ["Looks bad.\r\n/rollback staging\n/unfreeze", { kind: "rollback", target: "staging" }],
    ["/unfreeze", { kind: "unfreeze" }],
    ["/unfreeze now", { kind: "invalid", command: "unfreeze", message: "`/unfreeze` takes no arguments" }],
    ["/rollback a b", { kind: "invalid", command: "rollback", message: "`/rollback` takes at most one environment or cluster name" }],
    ["/rollback Prod!", { kind: "invalid", command: "rollback", message: "`Prod!` is not an environment or cluster name" }],
  ])("%j", (text, expected) => {
    expect(parseRollbackCommand(text)).toEqual(expected);
  });

  test.each(["", "please /rollback", "/rollbacks", "> /rollback prod", "```\n/rollback\n```", "/ rollback"])("no command in %j", (text) => {
    expect(parseRollbackCommand(text)).toBeNull();
  });
});

describe("resolveCommandTarget", () => {
  const { fleet } = makeRollbackFleet();
  test("without a name: the one environment the pull request changed", () => {
    expect(resolveCommandTarget(fleet, null, ["envs/prod/checkout/a.yaml", "clusters/prod-eu-1/x/b.yaml"])).toMatchObject({
      ok: true,
      target: { environment: "prod", clusters: [] },
    });
    expect(resolveCommandTarget(fleet, null, ["envs/prod/a/x.yaml", "envs/dev/a/x.yaml"])).toMatchObject({ ok: false, message: expect.stringContaining("several environments (dev, prod)") });
    expect(resolveCommandTarget(fleet, null, ["README.md"])).toMatchObject({ ok: false });
  });

  test("a named environment or cluster the pull request reached", () => {
    expect(resolveCommandTarget(fleet, "prod-eu-1", ["envs/prod/a/x.yaml"])).toMatchObject({ ok: true, target: { environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"] } });
    expect(resolveCommandTarget(fleet, "prod-eu-1", ["clusters/prod-us-1/a/x.yaml"])).toMatchObject({ ok: false });
    expect(resolveCommandTarget(fleet, "dev", ["envs/prod/a/x.yaml"])).toMatchObject({ ok: false, message: "this pull request changed no file of environment dev" });
    expect(resolveCommandTarget(fleet, "qa", ["envs/prod/a/x.yaml"])).toMatchObject({ ok: false, message: "no environment or cluster is named qa" });
  });
});

describe("authorizeRollback", () => {
  const access = { permission: "write" as const, teams: [] };
  test("write or higher by default", () => {
    expect(authorizeRollback({ login: "a", permission: "write", teams: [] }, access)).toEqual({ allowed: true });
    expect(authorizeRollback({ login: "a", permission: "admin", teams: [] }, access)).toEqual({ allowed: true });
    expect(authorizeRollback({ login: "a", permission: "triage", teams: [] }, access)).toEqual({
      allowed: false,
      reason: "@a has triage permission; /rollback needs write or higher",
    });
    expect(authorizeRollback({ login: "a", permission: "read", teams: [] }, { permission: "maintain", teams: [] }, "unfreeze").allowed).toBe(false);
  });

  test("team membership where the environment requires it", () => {
    const sre = { permission: "write" as const, teams: ["acme/sre"] };
    expect(authorizeRollback({ login: "a", permission: "write", teams: ["acme/sre"] }, sre).allowed).toBe(true);
    expect(authorizeRollback({ login: "a", permission: "write", teams: ["SRE"] }, sre).allowed).toBe(true);
    expect(authorizeRollback({ login: "a", permission: "write", teams: ["other/sre"] }, sre).allowed).toBe(false);
    expect(authorizeRollback({ login: "a", permission: "admin", teams: ["acme/dev"] }, sre)).toMatchObject({ allowed: false, reason: expect.stringContaining("acme/sre") });
  });

  test("bots never run commands", () => {
    expect(authorizeRollback({ login: "fleetward[bot]", permission: "admin", teams: [], isBot: true }, access).allowed).toBe(false);
    expect(authorizeRollback({ login: "renovate[bot]", permission: "admin", teams: [] }, access).allowed).toBe(false);
  });
});
