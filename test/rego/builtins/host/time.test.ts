import { beginQuery } from "../../../../src/rego/builtins/host/query-scope.js";
import { call, failure } from "./call-host-builtin.js";

/** A result as text: exact results come back as JSON text in an ArrayBuffer. */
const text = (r: unknown): string => (typeof r === "object" && r !== null && "byteLength" in r ? new TextDecoder().decode(r as ArrayBuffer) : JSON.stringify(r));
/** Calls the value-text registration (exact int64 arguments and results). */
const vt = (name: string, ...args: string[]): unknown => call(`${name}#value-text`, ...args);

describe("time builtins", () => {
  test("parse_rfc3339_ns: offsets, fractions and OPA's int64 range", () => {
    expect(text(call("time.parse_rfc3339_ns", "2017-06-02T19:00:00-07:00"))).toBe(String(1496455200000000000));
    expect(text(call("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775807-00:00"))).toBe("9223372036854775807");
    expect(text(call("time.parse_rfc3339_ns", "1677-09-21T00:12:43.145224192Z"))).toBe("-9223372036854775808");
    expect(failure("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775808Z")).toBe("eval_builtin_error: time outside of valid range");
    expect(failure("time.parse_rfc3339_ns", "2017-06-02")).toMatch(/^eval_builtin_error: parsing time "2017-06-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"/);
  });

  test("parse_ns with Go layouts", () => {
    expect(text(call("time.parse_ns", "2006-01-02", "2020-02-29"))).toBe(String(Date.UTC(2020, 1, 29) * 1e6));
    expect(text(call("time.parse_ns", "Jan _2 2006 3:04PM -0700", "Feb  3 2021 1:30PM +0100"))).toBe(String(Date.UTC(2021, 1, 3, 12, 30) * 1e6));
    expect(text(call("time.parse_ns", "Monday, 02-Jan-06 15:04:05.000", "Sunday, 07-Mar-21 08:09:10.250"))).toBe(String(Date.UTC(2021, 2, 7, 8, 9, 10, 250) * 1e6));
    expect(failure("time.parse_ns", "2006-01-02", "2021-02-30")).toMatch(/day out of range/);
    expect(failure("time.parse_ns", "2006-01-02", "2021-02-03x")).toMatch(/extra text/);
  });

  test("parse_duration_ns as Go's ParseDuration", () => {
    expect(text(call("time.parse_duration_ns", "100ms"))).toBe(String(100_000_000));
    expect(text(call("time.parse_duration_ns", "1h2m3.5s"))).toBe(String(3723_500_000_000));
    expect(text(call("time.parse_duration_ns", "-1.5us"))).toBe(String(-1500));
    expect(text(call("time.parse_duration_ns", "0"))).toBe(String(0));
    expect(failure("time.parse_duration_ns", "1d")).toBe('eval_builtin_error: time: unknown unit "d" in duration "1d"');
    expect(failure("time.parse_duration_ns", "")).toBe('eval_builtin_error: time: invalid duration ""');
  });

  test("format: default RFC3339Nano, zones, Go layouts and named layouts", () => {
    expect(vt("time.format", "1670006453141828752")).toBe('"2022-12-02T18:40:53.141828752Z"');
    expect(vt("time.format", '[1670006453141828752, "Asia/Kolkata"]')).toBe('"2022-12-03T00:10:53.141828752+05:30"');
    expect(vt("time.format", '[1670006453141828752, "Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006"]')).toBe('"Sat Dec 03 00:10:53 +0530 2022"');
    expect(vt("time.format", '[1670006453141828752, "Asia/Kolkata", "RFC1123Z"]')).toBe('"Sat, 03 Dec 2022 00:10:53 +0530"');
    expect(vt("time.format", '[1670006453000000000, "America/New_York", "3:04PM MST .000 002"]')).toBe('"1:40PM EST .000 336"');
    expect(failure("time.format#value-text", "15829776000000000000000")).toBe("eval_builtin_error: timestamp too big");
    expect(failure("time.format#value-text", '[0, "Mars/Olympus"]')).toBe("eval_builtin_error: unknown time zone Mars/Olympus");
  });

  test("date, clock and weekday in zones, across a daylight saving change", () => {
    expect(vt("time.date", '[1517814000000000000, "America/Los_Angeles"]')).toBe("[2018,2,4]");
    expect(vt("time.clock", '[1517832000000000000, "America/New_York"]')).toBe("[7,0,0]");
    // 2021-03-14 10:30 UTC is 03:30 PDT (after the change); 09:30 UTC is 01:30 PST.
    expect(vt("time.clock", '[1615717800000000000, "America/Los_Angeles"]')).toBe("[3,30,0]");
    expect(vt("time.clock", '[1615714200000000000, "America/Los_Angeles"]')).toBe("[1,30,0]");
    expect(vt("time.weekday", "1518264000000000000")).toBe('"Saturday"');
    expect(vt("time.date", "-1")).toBe("[1969,12,31]");
    expect(failure("time.weekday#value-text", '"x"')).toMatch(/^eval_type_error: time.weekday: operand 1 must be either number/);
  });

  test("add_date carries over months and days, and checks the range", () => {
    expect(vt("time.add_date", "1585852421593912000", "3", "9", "12")).toBe("1705257221593912000");
    expect(vt("time.add_date", "1585852421593912000", "-1", "-1", "-1")).toBe("1551465221593912000");
    // Jan 31 + 1 month is Mar 3 (2021), as Go normalises Feb 31.
    expect(vt("time.add_date", String(Date.UTC(2021, 0, 31) * 1e6), "0", "1", "0")).toBe(String(Date.UTC(2021, 2, 3) * 1e6));
    expect(failure("time.add_date#value-text", "0", "2262", "1", "1")).toBe("eval_builtin_error: time outside of valid range");
  });

  test("diff in years, months, days, hours, minutes, seconds", () => {
    const ns = (y: number, m: number, d: number): string => String(Date.UTC(y, m - 1, d) * 1e6);
    expect(vt("time.diff", ns(2020, 2, 2), ns(2020, 3, 1))).toBe("[0,0,28,0,0,0]");
    expect(vt("time.diff", ns(2021, 3, 1), ns(2021, 2, 2))).toBe("[0,0,27,0,0,0]");
    expect(vt("time.diff", ns(2019, 1, 31), ns(2021, 3, 1))).toBe("[2,1,1,0,0,0]");
    expect(vt("time.diff", "61000000000", "0")).toBe("[0,0,0,0,1,1]");
  });

  test("now_ns is one value per query", () => {
    beginQuery();
    const a = text(call("time.now_ns"));
    call("test.sleep", "5ms");
    expect(text(call("time.now_ns"))).toBe(a);
    beginQuery();
    const b = text(call("time.now_ns"));
    expect(BigInt(b) - BigInt(a)).toBeGreaterThanOrEqual(5_000_000n);
    expect(Math.abs(Number(BigInt(b) / 1_000_000n) - Date.now())).toBeLessThan(1000);
  });
});
