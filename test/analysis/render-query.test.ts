import { analysisQuery, burnRateQuery, fillTemplate, TemplateError } from "../../src/analysis/render-query.js";
import { analysis } from "./analysis-fixtures.js";

const target = { environment: "prod", wave: "canary", component: "pay\"ments", clusters: ["prod-eu-1", "prod.us"] };

test("variables are filled; {{cluster}} is a regex alternation with dots escaped for a PromQL string", () => {
  expect(fillTemplate('x{env="{{environment}}",wave="{{ wave }}",c="{{component}}",cluster=~"{{cluster}}"}', target)).toBe(
    'x{env="prod",wave="canary",c="pay\\"ments",cluster=~"prod-eu-1|prod\\\\.us"}',
  );
});

test("an unknown variable is a TemplateError naming it and the known ones", () => {
  expect(() => fillTemplate("{{region}}", target)).toThrow(TemplateError);
  expect(() => fillTemplate("{{region}}", target)).toThrow(/unknown variable \{\{region\}\} \(known: \{\{environment\}\}/);
});

test("an slo becomes a Sloth-style burn rate: error ratio over the window divided by the error budget", () => {
  const slo = { objective: 99.9, errorQuery: 'sum(rate(e{cluster=~"{{cluster}}"}[{{window}}]))', totalQuery: "sum(rate(t[{{window}}]))", window: "5m", maxBurnRate: 14.4 };
  expect(burnRateQuery(slo, { ...target, clusters: ["a"] })).toBe('((sum(rate(e{cluster=~"a"}[5m]))) / (sum(rate(t[5m])))) / 0.001');
  expect(analysisQuery(analysis({ query: undefined, threshold: undefined, slo: { ...slo, objective: 99.5 } }), target)).toMatch(/\/ 0\.005$/);
});
