/**
 * OPA's `time.*` builtins (and `test.sleep`), with Go's semantics: instants are int64 nanoseconds since the epoch
 * (exact: called with the value-text convention, so they arrive and leave as bigints), zones are IANA names
 * through `Intl` (`""`/`"UTC"` for UTC, `"Local"`), layouts are Go's. `time.now_ns` is one value per query.
 */
import { builtinError, str, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";
import { queryCached } from "./query-scope.js";
import { checkRange, daysIn, fromCivil, MAX_NS, MIN_NS, NS_PER_SECOND, toCivil, UTC, type Zone } from "./time-civil.js";
import { formatInstant, parseLayout, zoneNamed } from "./time-layout.js";

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const RFC3339 = "2006-01-02T15:04:05Z07:00";
const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

/** An integer operand as a bigint; a number that is not an exact int64 is OPA's "timestamp too big". */
function int64(v: Json): bigint {
  let n: bigint;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number" && Number.isInteger(v)) n = BigInt(v);
  else throw builtinError("timestamp too big");
  if (n < MIN_NS || n > MAX_NS) throw builtinError("timestamp too big");
  return n;
}

function isNumber(v: Json): boolean {
  return typeof v === "number" || typeof v === "bigint";
}

/** OPA's `tzTime`: `ns` or `[ns, zone]` or `[ns, zone, layout]`. */
function timeOperand(name: string, v: Json): { ns: bigint; zone: Zone; layout: string } {
  const shapeError = (): Error => typeError(`${name}: operand 1 must be either number (ns) or [number (ns), string (tz)] but got ${typeName(v)}`);
  if (isNumber(v)) return { ns: int64(v), zone: UTC, layout: "" };
  if (!Array.isArray(v) || v.length === 0) throw shapeError();
  if (!isNumber(v[0])) throw typeError(`${name}: operand 1 must be number but got ${typeName(v[0])}`);
  const ns = int64(v[0]);
  const zone = v.length > 1 ? zoneNamed(str(name, 0, v[1])) : UTC;
  const layout = v.length > 2 ? str(name, 0, v[2]) : "";
  return { ns, zone, layout };
}

function intOperand(name: string, i: number, v: Json): number {
  if (typeof v === "bigint") throw builtinError(`${name}: operand ${i + 1} out of range`);
  if (typeof v !== "number") throw typeError(`${name}: operand ${i + 1} must be number but got ${typeName(v)}`);
  if (!Number.isInteger(v)) throw typeError(`${name}: operand ${i + 1} must be integer number but got floating-point number`);
  return v;
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, "µs": 1_000n, "μs": 1_000n, ms: 1_000_000n, s: NS_PER_SECOND, m: 60n * NS_PER_SECOND, h: 3600n * NS_PER_SECOND,
};

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(text: string): bigint {
  const bad = (): Error => builtinError(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw bad();
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(s);
    if (!m || ((m[1] ?? "") === "" && (m[2] ?? "") === "")) throw bad();
    const unit = DURATION_UNITS[m[3] as string];
    if (unit === undefined) throw builtinError(`time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(text)}`);
    const frac = m[2] ?? "";
    total += BigInt(m[1] || "0") * unit + (frac === "" ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length));
    if (total > MAX_NS + (negative ? 1n : 0n)) throw builtinError(`time: invalid duration ${JSON.stringify(text)}`);
    s = s.slice(m[0].length);
  }
  return negative ? -total : total;
}

const clockBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

function now(): bigint {
  return queryCached("time.now_ns", () => clockBase + process.hrtime.bigint());
}

/** Go's Time.AddDate in UTC: years, months and days added to the civil date, overflow carried. */
function addDate(ns: bigint, years: number, months: number, days: number): bigint {
  const c = toCivil(ns, UTC);
  return checkRange(fromCivil({ ...c, year: c.year + years, month: c.month + months, day: c.day + days }));
}

/** The difference of two instants in years, months, days, hours, minutes and seconds (the later minus the earlier). */
function diff(a: { ns: bigint; zone: Zone }, b: { ns: bigint; zone: Zone }): number[] {
  const [early, late] = a.ns <= b.ns ? [a.ns, b.ns] : [b.ns, a.ns];
  const x = toCivil(early, a.zone);
  const y = toCivil(late, a.zone);
  let [year, month, day, hour, minute, second] = [y.year - x.year, y.month - x.month, y.day - x.day, y.hour - x.hour, y.minute - x.minute, y.second - x.second];
  if (second < 0) { second += 60; minute--; }
  if (minute < 0) { minute += 60; hour--; }
  if (hour < 0) { hour += 24; day--; }
  if (day < 0) { day += daysIn(x.year, x.month); month--; }
  if (month < 0) { month += 12; year--; }
  return [year, month, day, hour, minute, second];
}

/** Sleeps the thread (evaluation is synchronous, as OPA's test.sleep blocks its query). */
function sleep(ns: bigint): void {
  const ms = Number(ns / 1_000_000n);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const timeBuiltins: HostBuiltinFamily = {
  "time.now_ns": () => now(),
  "time.parse_ns": (layout, value) => checkRange(parseLayout(str("time.parse_ns", 0, layout), str("time.parse_ns", 1, value))),
  "time.parse_rfc3339_ns": (value) => checkRange(parseLayout(RFC3339, str("time.parse_rfc3339_ns", 0, value))),
  "time.parse_duration_ns": (text) => parseDuration(str("time.parse_duration_ns", 0, text)),
  "time.format": (x) => {
    const t = timeOperand("time.format", x);
    return formatInstant(t.ns, t.zone, t.layout === "" ? RFC3339_NANO : t.layout);
  },
  "time.date": (x) => {
    const t = timeOperand("time.date", x);
    const c = toCivil(t.ns, t.zone);
    return [c.year, c.month, c.day];
  },
  "time.clock": (x) => {
    const t = timeOperand("time.clock", x);
    const c = toCivil(t.ns, t.zone);
    return [c.hour, c.minute, c.second];
  },
  "time.weekday": (x) => {
    const t = timeOperand("time.weekday", x);
    return DAY_NAMES[toCivil(t.ns, t.zone).weekday];
  },
  "time.add_date": (x, years, months, days) =>
    addDate(timeOperand("time.add_date", x).ns, intOperand("time.add_date", 1, years), intOperand("time.add_date", 2, months), intOperand("time.add_date", 3, days)),
  "time.diff": (a, b) => diff(timeOperand("time.diff", a), timeOperand("time.diff", b)),
  "test.sleep": (d) => {
    sleep(parseDuration(str("test.sleep", 0, d)));
    return null;
  },
};
