import { authorizePromote } from "../../src/promotion/authorize-promote.js";
import type { AuthorizePromoteInput } from "../../src/promotion/authorize-promote.js";
import { parsePromoteCommand, PROMOTE_HELP } from "../../src/promotion/parse-promote-command.js";

describe("parsePromoteCommand", () => {
  test.each([
    ["/promote prod", { kind: "promote", target: "prod", component: null }],
    ["/promote prod/canary payments\nthanks!", { kind: "promote", target: "prod/canary", component: "payments" }],
    ["  /promote   prod-eu-1   team-a/api  ", { kind: "promote", target: "prod-eu-1", component: "team-a/api" }],
    ["/promote status", { kind: "status" }],
    ["please /promote prod", { kind: "none" }],
    ["LGTM\n/promote prod", { kind: "none" }],
    ["/promoted prod", { kind: "none" }],
  ])("%j", (comment, expected) => {
    expect(parsePromoteCommand(comment)).toEqual(expected);
  });
  test.each([
    ["/promote", "needs a target"],
    ["/promote status now", "takes no arguments"],
    ["/promote prod a b", "too many arguments"],
    ["/promote Prod!", "is not an environment"],
    ["/promote prod ../etc", "is not a component"],
    ["/promote help", "help requested"],
  ])("%j gets the help", (comment, reason) => {
    const r = parsePromoteCommand(comment);
    expect(r.kind).toBe("help");
    if (r.kind === "help") expect(r.reason).toContain(reason);
  });
  test("the help text names both forms", () => {
    expect(PROMOTE_HELP).toContain("/promote <environment|environment/wave|cluster> [component]");
    expect(PROMOTE_HELP).toContain("/promote status");
  });
});

describe("authorizePromote", () => {
  const base: AuthorizePromoteInput = { login: "bob", isBot: false, permission: "write", requiredTeams: [], teams: [] };
  test("write or above without required teams", () => {
    expect(authorizePromote(base)).toEqual({ allowed: true });
    expect(authorizePromote({ ...base, permission: "admin" })).toEqual({ allowed: true });
    expect(authorizePromote({ ...base, permission: "triage" })).toEqual({ allowed: false, reason: "@bob needs write permission to promote (has triage)" });
    expect(authorizePromote({ ...base, permission: "read" }).allowed).toBe(false);
  });
  test("team membership when the environment requires it", () => {
    const prod = { ...base, requiredTeams: ["acme/prod-deployers"] };
    expect(authorizePromote(prod)).toEqual({ allowed: false, reason: "@bob is not a member of @acme/prod-deployers" });
    expect(authorizePromote({ ...prod, teams: ["acme/prod-deployers"] })).toEqual({ allowed: true });
    expect(authorizePromote({ ...prod, teams: ["other/prod-deployers"] }).allowed).toBe(false);
    expect(authorizePromote({ ...base, requiredTeams: ["prod-deployers"], teams: ["acme/prod-deployers"] }).allowed).toBe(true);
    expect(authorizePromote({ ...prod, teams: ["acme/prod-deployers"], permission: "read" }).allowed).toBe(false);
  });
  test("bots never run commands", () => {
    expect(authorizePromote({ ...base, isBot: true, permission: "admin" }).allowed).toBe(false);
    expect(authorizePromote({ ...base, login: "renovate[bot]", permission: "admin" }).allowed).toBe(false);
  });
});
