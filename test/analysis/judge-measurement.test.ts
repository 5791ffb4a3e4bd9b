import { conditionOf, judgeMeasurement } from "../../src/analysis/judge-measurement.js";
import { T0, analysis } from "./analysis-fixtures.js";

test.each([
  ["< 0.01", 0.009, true],
  ["< 0.01", 0.01, false],
  ["<= 0.01", 0.01, true],
  ["> 0.99", 0.99, false],
  [">= 0.99", 0.99, true],
  [">= 1e-3", 0.001, true],
])("threshold %s with %d: %s", (threshold, value, ok) => {
  expect(conditionOf(analysis({ threshold })).test(value)).toBe(ok);
});

test("a range is inclusive and may be open on one side", () => {
  const c = conditionOf(analysis({ threshold: undefined, range: { min: 1, max: 5 } }));
  expect([0.9, 1, 5, 5.1].map(c.test)).toEqual([false, true, true, false]);
  expect(c.text).toBe("in [1, 5]");
  expect(conditionOf(analysis({ threshold: undefined, range: { max: 5 } })).text).toBe("in [-∞, 5]");
});

test("the failing series decides; its value, labels and the condition are in the message", () => {
  const m = judgeMeasurement(analysis(), [{ labels: { cluster: "a" }, value: 0.001 }, { labels: { cluster: "b", __name__: "x" }, value: 0.2 }], T0);
  expect(m).toEqual({ at: T0.toISOString(), phase: "failed", value: 0.2, series: '{cluster="b"}', message: '0.2 {cluster="b"} is not < 0.01' });
});

test("every series within the condition is successful; no series or only NaN is inconclusive", () => {
  expect(judgeMeasurement(analysis(), [{ labels: {}, value: 0.001 }], T0).phase).toBe("successful");
  expect(judgeMeasurement(analysis(), [], T0)).toMatchObject({ phase: "inconclusive", value: null, message: expect.stringContaining("no data") });
  expect(judgeMeasurement(analysis(), [{ labels: {}, value: NaN }], T0).phase).toBe("inconclusive");
});

test("an slo analysis compares the burn rate with maxBurnRate", () => {
  const a = analysis({ query: undefined, threshold: undefined, slo: { objective: 99, errorQuery: "e", totalQuery: "t", maxBurnRate: 2 } });
  expect(judgeMeasurement(a, [{ labels: {}, value: 1.5 }], T0).phase).toBe("successful");
  expect(judgeMeasurement(a, [{ labels: {}, value: 2 }], T0)).toMatchObject({ phase: "failed", message: "2 {} is not < 2" });
});
