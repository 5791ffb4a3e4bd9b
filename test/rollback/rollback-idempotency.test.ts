import { decideRollbackAction } from "../../src/rollback/decide-rollback-action.js";
import type { ExistingPullRequest } from "../../src/rollback/decide-rollback-action.js";
import { alreadySaid, planRevertCompletion } from "../../src/rollback/plan-revert-completion.js";
import { readMetadata, readRollbackMetadata, renderMetadata } from "../../src/rollback/rollback-metadata.js";
import type { RollbackMetadata } from "../../src/rollback/rollback-metadata.js";
import { incidentKey, manualRollbackKey, rollbackBranch, rollbackKey } from "../../src/rollback/rollback-key.js";

const target = { repository: null, environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"], component: "checkout" };
const BOT = "fleetward[bot]";

describe("keys", () => {
  test("the same group and target always give the same key; any difference gives another", () => {
    const k = rollbackKey({ groupKey: "g" }, target);
    expect(k).toMatch(/^[0-9a-f]{16}$/);
    expect(rollbackKey({ groupKey: "g" }, { ...target })).toBe(k);
    expect(rollbackKey({ groupKey: "h" }, target)).not.toBe(k);
    expect(rollbackKey({ groupKey: "g" }, { ...target, component: undefined })).not.toBe(k);
    expect(rollbackKey({ groupKey: "g" }, { ...target, repository: "acme/x" })).not.toBe(k);
    // Cluster order does not matter.
    const two = { ...target, clusters: ["a", "b"] };
    expect(rollbackKey({ groupKey: "g" }, two)).toBe(rollbackKey({ groupKey: "g" }, { ...two, clusters: ["b", "a"] }));
    expect(manualRollbackKey(42, target)).not.toBe(manualRollbackKey(43, target));
    expect(manualRollbackKey(42, target)).not.toBe(k);
  });

  test("branch names carry the target and the key's first 12 digits", () => {
    expect(rollbackBranch(target, "0123456789abcdef")).toBe("fleetward/rollback/prod-eu-1/0123456789ab");
    expect(rollbackBranch({ environment: "prod" }, "0123456789abcdef")).toBe("fleetward/rollback/prod/0123456789ab");
  });

  test("one incident per target, whatever the component", () => {
    expect(incidentKey(target)).toBe(incidentKey({ ...target }));
    expect(incidentKey(target)).not.toBe(incidentKey({ ...target, clusters: [] }));
  });
});

describe("metadata", () => {
  test("round-trips, even with comment terminators in the values", () => {
    const data = { v: 1, groupKey: 'x --> <script> "q"' };
    const rendered = renderMetadata("rollback", data);
    expect(rendered).not.toMatch(/<script>|-->.*-->/);
    expect(rendered.indexOf("-->")).toBe(rendered.length - 3);
    expect(readMetadata("rollback", `text\n\n${rendered}\n`)).toEqual(data);
  });

  test("absent, truncated or invalid metadata reads as null", () => {
    expect(readMetadata("rollback", null)).toBeNull();
    expect(readMetadata("rollback", "<!-- fleetward:rollback {\"a\":1}")).toBeNull();
    expect(readMetadata("rollback", "<!-- fleetward:rollback {oops} -->")).toBeNull();
    expect(readRollbackMetadata(renderMetadata("rollback", { v: 2 }))).toBeNull();
    expect(readMetadata("incident", renderMetadata("rollback", { v: 1 }))).toBeNull();
  });
});

describe("decideRollbackAction", () => {
  const key = rollbackKey({ groupKey: "g" }, target);
  const meta = (over: Partial<RollbackMetadata> = {}): RollbackMetadata => ({
    v: 1,
    key,
    groupKey: "g",
    fingerprints: ["f1"],
    episodes: ["f1@T1"],
    environment: "prod",
    clusters: ["prod-eu-1"],
    revertedSha: "abc",
    ...over,
  });
  const pr = (number: number, state: "open" | "closed", merged: boolean, m: RollbackMetadata | null, author = BOT): ExistingPullRequest => ({
    number,
    state,
    merged,
    body: m ? `Roll back\n\n${renderMetadata("rollback", m)}` : "no metadata",
    author,
  });
  /** Alerts as `fingerprint@start`. */
  const decide = (alerts: string[], existing: ExistingPullRequest[], firing = true) =>
    decideRollbackAction({
      key,
      alerts: alerts.map((a) => ({ fingerprint: a.split("@")[0] ?? "", startsAt: a.split("@")[1] ?? "" })),
      firing,
      existing,
      trustedAuthor: BOT,
    });

  test("nothing yet: open while firing, nothing once resolved", () => {
    expect(decide(["f1@T1"], [pr(1, "open", false, null)])).toEqual({ action: "open" });
    expect(decide(["f1@T1"], [], false)).toMatchObject({ action: "none", number: null });
  });

  test("a repeat, a redelivery or an HA duplicate finds the open pull request and does nothing", () => {
    const existing = [pr(5, "open", false, meta())];
    expect(decide(["f1@T1"], existing)).toMatchObject({ action: "none", number: 5 });
    expect(decide(["f1@T1"], existing, false)).toMatchObject({ action: "none", number: 5 });
  });

  test("a new alert in the group updates the open pull request's fingerprints", () => {
    const d = decide(["f2@T1", "f1@T1"], [pr(5, "open", false, meta())]);
    expect(d).toMatchObject({ action: "update", number: 5, newFingerprints: ["f2"] });
    if (d.action === "update") {
      expect(d.metadata.fingerprints).toEqual(["f1", "f2"]);
      expect(d.metadata.episodes).toEqual(["f1@T1", "f2@T1"]);
    }
  });

  test("merged or closed pull requests of the key stop another rollback of the same group", () => {
    expect(decide(["f1@T1"], [pr(5, "closed", true, meta())])).toMatchObject({ action: "none", number: 5, reason: expect.stringContaining("already rolled back") });
    expect(decide(["f1@T1"], [pr(6, "closed", false, meta())])).toMatchObject({ action: "none", reason: expect.stringContaining("closed without merging") });
  });

  test("the same group firing again later (a new episode) opens a new rollback once the earlier one is closed", () => {
    expect(decide(["f1@T2"], [pr(5, "closed", true, meta())])).toEqual({ action: "open" });
    expect(decide(["f1@T2"], [pr(5, "open", false, meta())])).toMatchObject({ action: "update", number: 5, newFingerprints: [] });
  });

  test("other keys and other authors do not count", () => {
    expect(decide(["f1@T1"], [pr(5, "open", false, meta({ key: "other" }))])).toEqual({ action: "open" });
    expect(decide(["f1@T1"], [pr(5, "open", false, meta(), "mallory")])).toEqual({ action: "open" });
  });
});

describe("completing a rollback on retry", () => {
  const settings = { labels: ["fleetward:rollback", "team:sre"], autoMerge: false };

  test("an open pull request without its labels gets the missing ones (case as GitHub compares), nothing when all are there", () => {
    expect(planRevertCompletion({ state: "open", merged: false, labels: [] }, settings)).toEqual({ addLabels: ["fleetward:rollback", "team:sre"], merge: false });
    expect(planRevertCompletion({ state: "open", merged: false, labels: ["Fleetward:Rollback", "other"] }, settings)).toEqual({ addLabels: ["team:sre"], merge: false });
    expect(planRevertCompletion({ state: "open", merged: false, labels: ["fleetward:rollback", "team:sre"] }, settings)).toEqual({ addLabels: [], merge: false });
  });

  test("auto-merge: an open pull request is merged by the retry; a closed or merged one is left alone", () => {
    const auto = { ...settings, autoMerge: true };
    expect(planRevertCompletion({ state: "open", merged: false, labels: settings.labels }, auto)).toEqual({ addLabels: [], merge: true });
    expect(planRevertCompletion({ state: "closed", merged: true, labels: [] }, auto)).toEqual({ addLabels: [], merge: false });
    expect(planRevertCompletion({ state: "closed", merged: false, labels: [] }, auto)).toEqual({ addLabels: [], merge: false });
  });

  test("a comment is posted again only when it is not the app's last word", () => {
    expect(alreadySaid([], "Firing: A.")).toBe(false);
    expect(alreadySaid(["Firing: A."], "Firing: A.")).toBe(true);
    expect(alreadySaid(["Firing: A.", "Resolved: A."], "Firing: A.")).toBe(false);
  });
});
