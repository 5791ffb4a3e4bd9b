import { decidePromotionUpdates } from "../../src/promotion/decide-promotion-updates.js";
import { formatPromotionMetadata } from "../../src/promotion/format-promotion-metadata.js";
import { parsePromotionMetadata } from "../../src/promotion/parse-promotion-metadata.js";
import { planPromotions } from "../../src/promotion/plan-promotions.js";
import type { PlannedPromotion } from "../../src/promotion/plan-promotions.js";
import type { PromotionMetadata } from "../../src/promotion/promotion-metadata.js";
import { fleetOf } from "./fixture.js";

function planFor(sha: string, pr: number, content: string): PlannedPromotion {
  const plan = planPromotions({
    fleet: fleetOf(),
    tree: new Map([
      ["envs/dev/payments/d.yaml", content],
      ["envs/staging/payments/d.yaml", "v: 1\n"],
    ]),
    changedFiles: ["envs/dev/payments/d.yaml"],
    change: { sha, prNumber: pr, title: "t", author: "alice" },
  });
  const p = plan.promotions[0];
  if (!p) throw new Error("expected a promotion");
  return p;
}

describe("decidePromotionUpdates", () => {
  const first = planFor("aaaaaaa111", 12, "v: 2\n");
  test("no open pull request: open", () => {
    expect(decidePromotionUpdates([], [first]).map((d) => d.action)).toEqual(["open"]);
  });
  test("the same plan redelivered: unchanged", () => {
    const open = [{ number: 40, branch: first.branch, body: first.body }];
    expect(decidePromotionUpdates(open, [first])).toEqual([{ action: "unchanged", promotion: first, number: 40 }]);
  });
  test("a newer change supersedes the open pull request", () => {
    const second = planFor("bbbbbbb222", 13, "v: 3\n");
    const open = [
      { number: 41, branch: "fleetward/promote/other/staging", body: null },
      { number: 40, branch: first.branch, body: first.body },
    ];
    const [d] = decidePromotionUpdates(open, [second]);
    expect(d?.action).toBe("update");
    if (d?.action !== "update") return;
    expect(d.number).toBe(40);
    expect(d.note).toBe("Superseded: this promotion of payments to staging now carries #13 (`bbbbbbb`) instead of #12 (`aaaaaaa`).");
    expect(d.body.startsWith(`> ${d.note}\n\n`)).toBe(true);
    expect(parsePromotionMetadata(d.body)?.chain[0]?.pr).toBe(13);
  });
  test("a newer change that promotes the same content leaves the open pull request as it is (no push, no new title, same promoted commit)", () => {
    const open = [{ number: 40, branch: first.branch, body: first.body }];
    const sameContent = planFor("ccccccc333", 14, "v: 2\n");
    expect(sameContent.metadata.fingerprint).toBe(first.metadata.fingerprint);
    expect(decidePromotionUpdates(open, [sameContent])).toEqual([{ action: "unchanged", promotion: sameContent, number: 40 }]);
    // Whichever of the two is newer: the content is what the pull request already carries.
    expect(decidePromotionUpdates(open, [sameContent], { isNewer: () => true })[0]?.action).toBe("unchanged");
    expect(decidePromotionUpdates(open, [sameContent], { isNewer: () => false })[0]?.action).toBe("unchanged");
  });
  test("a late webhook of an older change does not overwrite a newer open promotion", () => {
    const second = planFor("bbbbbbb222", 13, "v: 3\n");
    const open = [{ number: 40, branch: second.branch, body: second.body }];
    const isNewer = (candidate: string, current: string) => candidate === "bbbbbbb222" && current === "aaaaaaa111";
    expect(decidePromotionUpdates(open, [first], { isNewer })).toEqual([{ action: "stale", promotion: first, number: 40 }]);
    expect(decidePromotionUpdates([{ number: 40, branch: first.branch, body: first.body }], [second], { isNewer })[0]?.action).toBe("update");
  });

  test("an open pull request with hand-broken metadata is still found by its branch", () => {
    const [d] = decidePromotionUpdates([{ number: 7, branch: first.branch, body: "edited <!-- fleetward:promotion {oops -->" }], [first]);
    expect(d).toMatchObject({ action: "update", number: 7 });
    if (d?.action === "update") expect(d.note).toContain("instead of an earlier change");
  });
});

describe("promotion metadata", () => {
  const meta: PromotionMetadata = {
    version: 1,
    component: "pay-->ments",
    source: "dev",
    target: "staging",
    origin: { pr: 1, sha: "abc", author: null },
    chain: [{ from: "dev", to: "staging", pr: null, sha: "abc" }],
    fingerprint: "f",
  };
  test("round-trips, even with `-->` inside a value", () => {
    const text = `Body\n${formatPromotionMetadata(meta)}\nfooter`;
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(parsePromotionMetadata(text)).toEqual(meta);
  });
  test("malformed or missing metadata is null, never a throw", () => {
    for (const body of [null, undefined, "", "no comment", "<!-- fleetward:promotion not json -->", '<!-- fleetward:promotion {"version":2} -->']) {
      expect(parsePromotionMetadata(body)).toBeNull();
    }
    const wrongTypes = formatPromotionMetadata({ ...meta, origin: { pr: -1, sha: "abc", author: null } });
    expect(parsePromotionMetadata(wrongTypes)).toBeNull();
  });
  test("with several comments the last valid one wins", () => {
    const other = { ...meta, target: "prod" };
    expect(parsePromotionMetadata(`${formatPromotionMetadata(meta)}\n${formatPromotionMetadata(other)}`)?.target).toBe("prod");
  });
});
