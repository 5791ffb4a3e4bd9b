import nock from "nock";
import { createNockGuard } from "../helpers/nock-guard.js";

const guard = createNockGuard();
beforeAll(() => guard.start());
afterAll(() => guard.stop());
afterEach(() => nock.cleanAll());

test("an unused expectation fails the check", () => {
  nock("https://api.github.com").get("/never-called").reply(200, {});
  expect(() => guard.check()).toThrow(/expectation\(s\) never used:[\s\S]*never-called/);
  expect(() => guard.check()).not.toThrow();
});

test("an unmatched request fails the check, and real network stays off", async () => {
  nock("https://api.github.com").get("/called").reply(200, { ok: true });
  expect(await (await fetch("https://api.github.com/called")).json()).toEqual({ ok: true });
  await expect(fetch("https://api.github.com/other")).rejects.toThrow();
  expect(() => guard.check()).toThrow(/unmatched HTTP request\(s\):[\s\S]*api\.github\.com(:443)?\/other/);
});

test("a matched and used expectation passes", async () => {
  nock("https://api.github.com").get("/used").reply(204);
  expect((await fetch("https://api.github.com/used")).status).toBe(204);
  expect(() => guard.check()).not.toThrow();
});

describe("after a guard was stopped", () => {
  const second = createNockGuard();
  beforeAll(() => {
    guard.stop();
    second.start();
  });
  afterAll(() => second.stop());

  test("starting a guard re-activates nock, so the network stays off", async () => {
    expect(nock.isActive()).toBe(true);
    await expect(fetch("https://api.github.com/blocked")).rejects.toThrow();
    expect(() => second.check()).toThrow(/unmatched HTTP request/);
    guard.start();
  });
});
