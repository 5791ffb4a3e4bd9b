import { matchesLabelSelector, parseLabelSelector } from "../../../src/render/patch/label-selector.js";

describe("parseLabelSelector", () => {
  it("reads every requirement form", () => {
    expect(parseLabelSelector("a=b, c==d,e!=f,g in (x, y),h notin (z),i,!j,k>1,l<-2,example.com/m=,n in ()")).toEqual([
      { key: "a", operator: "=", values: ["b"] },
      { key: "c", operator: "=", values: ["d"] },
      { key: "e", operator: "!=", values: ["f"] },
      { key: "g", operator: "in", values: ["x", "y"] },
      { key: "h", operator: "notin", values: ["z"] },
      { key: "i", operator: "exists", values: [] },
      { key: "j", operator: "!", values: [] },
      { key: "k", operator: ">", values: ["1"] },
      { key: "l", operator: "<", values: ["-2"] },
      { key: "example.com/m", operator: "=", values: [""] },
      { key: "n", operator: "in", values: [""] },
    ]);
    expect(parseLabelSelector("  ")).toEqual([]);
  });

  it.each([
    ["app in a", /expected '\(' after in/],
    ["app=a b", /expected ','/],
    ["a,", /expected a requirement after ','/],
    ["=a", /expected a key/],
    ["-a=b", /invalid label key "-a"/],
    ["Bad_Prefix/a=b", /invalid label key prefix/],
    ["a=" + "v".repeat(64), /invalid label value/],
    ["a in (x", /expected ',' or '\)'/],
    ["a>b", /expected an integer/],
    ["a ~ b", /expected an operator .*found '~'/],
  ])("rejects %s", (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(message);
  });
});

describe("matchesLabelSelector", () => {
  const labels = { app: "web", tier: "front", n: "10" };
  it.each([
    ["app=web", true],
    ["app!=web", false],
    ["missing!=x", true],
    ["app in (api,web)", true],
    ["app notin (web)", false],
    ["missing notin (web)", true],
    ["missing in (web)", false],
    ["tier", true],
    ["!tier", false],
    ["!missing", true],
    ["n>9", true],
    ["n<10", false],
    ["app>1", false],
    ["app=web,tier=back", false],
    ["", true],
  ])("%s → %s", (text, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(text), labels)).toBe(expected);
  });
});
