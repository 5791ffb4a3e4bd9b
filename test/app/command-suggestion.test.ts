import { answerUnknownCommand, editDistance, mentions } from "../../src/app/command-suggestion.js";

const COMMANDS = ["/promote", "/rollback", "/unfreeze"];
const answer = (word: string, body = word) => answerUnknownCommand({ word, commands: COMMANDS, body, appSlug: "fleetward" });

test("editDistance counts insertions, deletions and substitutions, and stops past the limit", () => {
  expect(editDistance("/promote", "/promote", 2)).toBe(0);
  expect(editDistance("/promte", "/promote", 2)).toBe(1);
  expect(editDistance("/pormote", "/promote", 2)).toBe(2);
  expect(editDistance("/rolback", "/rollback", 2)).toBe(1);
  expect(editDistance("/unfreez", "/unfreeze", 2)).toBe(1);
  expect(editDistance("/cc", "/promote", 2)).toBe(3);
  expect(editDistance("/deploy", "/promote", 9)).toBe(6);
  expect(editDistance("", "abc", 5)).toBe(3);
});

test("a typo of a command is answered with the nearest command", () => {
  expect(answer("/promte")).toEqual({ answer: true, suggestion: "/promote" });
  expect(answer("/rolback")).toEqual({ answer: true, suggestion: "/rollback" });
  expect(answer("/unfrezee")).toEqual({ answer: true, suggestion: "/unfreeze" });
});

test("other /words are not answered unless the comment mentions the app", () => {
  expect(answer("/cc", "/cc @acme/sre")).toEqual({ answer: false });
  expect(answer("/deploy", "/deploy prod")).toEqual({ answer: false });
  expect(answer("/lgtm")).toEqual({ answer: false });
  expect(answer("/deploy", "/deploy prod @fleetward")).toEqual({ answer: true, suggestion: null });
  expect(answer("/deploy", "/deploy prod @Fleetward[bot] please")).toEqual({ answer: true, suggestion: null });
});

test("mentions needs the whole login", () => {
  expect(mentions("hi @fleetward", "fleetward")).toBe(true);
  expect(mentions("(@fleetward)", "fleetward")).toBe(true);
  expect(mentions("@fleetward-dev", "fleetward")).toBe(false);
  expect(mentions("me@fleetward.example", "fleetward")).toBe(false);
  expect(mentions("@fleetwards", "fleetward")).toBe(false);
  expect(mentions("@fleetward", "")).toBe(false);
});
