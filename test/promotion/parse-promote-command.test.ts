import { authorizePromote, authorizePromoteStatus } from "../../src/promotion/authorize-promote.js";
import type { AuthorizePromoteInput } from "../../src/promotion/authorize-promote.js";
import { MAX_ECHOED, echoArgument, parsePromoteCommand, PROMOTE_HELP } from "../../src/promotion/parse-promote-command.js";

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
  test("a huge argument is cut in the reason, whatever it is", () => {
    const huge = "x".repeat(65_536);
    for (const comment of [`/promote prod a ${huge}`, `/promote Prod!${huge}`, `/promote prod ..${huge}`]) {
      const r = parsePromoteCommand(comment);
      expect(r.kind).toBe("help");
      if (r.kind === "help") {
        expect(r.reason.length).toBeLessThan(MAX_ECHOED + 60);
        expect(r.reason).toContain("x…");
      }
    }
  });
  test("echoArgument keeps short arguments, cuts long ones to the limit, and drops backticks and line breaks", () => {
    expect(echoArgument("prod")).toBe("prod");
    expect(echoArgument("a`b\nc")).toBe("a'b c");
    expect(echoArgument("y".repeat(MAX_ECHOED))).toBe("y".repeat(MAX_ECHOED));
    expect(echoArgument("y".repeat(MAX_ECHOED + 1))).toBe(`${"y".repeat(MAX_ECHOED - 1)}…`);
    // A surrogate pair is never split.
    const emoji = `${"y".repeat(MAX_ECHOED - 2)}😀😀`;
    expect(echoArgument(emoji)).toBe(`${"y".repeat(MAX_ECHOED - 2)}…`);
  });
  test("the help text names both forms", () => {
    expect(PROMOTE_HELP).toContain("/promote <environment|environment/wave|cluster> [component]");
    expect(PROMOTE_HELP).toContain("/promote status");
  });
});

describe("authorizePromoteStatus", () => {
  test("read permission or above sees the promotions; none and bots do not", () => {
    expect(authorizePromoteStatus({ login: "eve", isBot: false, permission: "read" })).toEqual({ allowed: true });
    expect(authorizePromoteStatus({ login: "eve", isBot: false, permission: "admin" })).toEqual({ allowed: true });
    expect(authorizePromoteStatus({ login: "eve", isBot: false, permission: "none" })).toEqual({ allowed: false, reason: "@eve needs read permission to see the promotions (has none)" });
    expect(authorizePromoteStatus({ login: "ci[bot]", isBot: false, permission: "admin" }).allowed).toBe(false);
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
