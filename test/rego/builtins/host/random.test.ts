import { beginQuery } from "../../../../src/rego/builtins/host/query-scope.js";
import { setOpaRuntime } from "../../../../src/rego/builtins/host/opa-runtime.js";
import { call, failure } from "./call-host-builtin.js";

describe("random, uuid.rfc4122 and opa.runtime builtins", () => {
  test("rand.intn: in range, one value per key and bound in a query, new values in the next", () => {
    const seen = new Set<unknown>();
    for (let q = 0; q < 50; q++) {
      beginQuery();
      const v = call("rand.intn", "k", 1000) as number;
      expect(Number.isInteger(v) && v >= 0 && v < 1000).toBe(true);
      expect(call("rand.intn", "k", 1000)).toBe(v);
      seen.add(v);
    }
    expect(seen.size).toBeGreaterThan(1);
    expect(call("rand.intn", "k", 0)).toBe(0);
    const neg = call("rand.intn", "n", -3) as number;
    expect(neg >= 0 && neg < 3).toBe(true);
    expect(failure("rand.intn", "k", 1.5)).toBe("eval_type_error: rand.intn: operand 2 must be integer number but got floating-point number");
    expect(failure("rand.intn", 1, 2)).toBe("eval_type_error: rand.intn: operand 1 must be string but got number");
  });

  test("uuid.rfc4122: a version 4 UUID per key and query", () => {
    beginQuery();
    const a = call("uuid.rfc4122", "a") as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call("uuid.rfc4122", "a")).toBe(a);
    expect(call("uuid.rfc4122", "b")).not.toBe(a);
    beginQuery();
    expect(call("uuid.rfc4122", "a")).not.toBe(a);
  });

  test("opa.runtime: {} unless a command sets what it shows", () => {
    expect(call("opa.runtime")).toEqual({});
    setOpaRuntime({ env: { HOME: "/home/x" } });
    expect(call("opa.runtime")).toEqual({ env: { HOME: "/home/x" } });
    setOpaRuntime({});
  });
});
