import { promotionHops, resolveScope } from "../../src/promotion/promotion-hops.js";
import { promotionScope } from "../../src/promotion/promotion-scope.js";
import { fixture, fleetOf } from "./fixture.js";

const shown = (text?: string) => promotionHops(fleetOf(text)).map((h) => `${promotionScope(h.from)}→${promotionScope(h.to)}:${h.mode}${h.bake ? ":bake" : ""}`);

test("hops follow promotedFrom and the waves", () => {
  expect(shown()).toEqual(["dev→staging:auto", "staging→prod/canary:auto", "prod/canary→prod/rest:auto:bake"]);
});

test("promotion.paths override a hop's mode or add one", () => {
  const text = fixture("fleet.yml").replace(
    "settings:\n  promotion:\n    mode: auto\n",
    "  paths:\n    - { from: staging, to: prod/canary, mode: manual }\n    - { from: dev, to: prod-us-1 }\nsettings:\n  promotion:\n    mode: auto\n",
  );
  expect(shown(text)).toEqual(["dev→staging:auto", "staging→prod/canary:manual", "prod/canary→prod/rest:auto:bake", "dev→prod-us-1:auto"]);
});

test("resolveScope names environments, waves and clusters; anything else is null", () => {
  const fleet = fleetOf();
  expect(resolveScope(fleet, "prod")).toEqual({ environment: "prod" });
  expect(resolveScope(fleet, "prod/rest")).toEqual({ environment: "prod", wave: "rest" });
  expect(resolveScope(fleet, "prod-ap-1")).toEqual({ environment: "prod", cluster: "prod-ap-1" });
  for (const bad of ["prod/", "prod/nope", "qa", "", "/prod"]) expect(resolveScope(fleet, bad)).toBeNull();
});
