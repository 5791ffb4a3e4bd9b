/**
 * Calendar arithmetic for the `time.*` builtins: instants are nanoseconds since the Unix epoch as bigints (OPA's
 * int64 range), civil fields come from the proleptic Gregorian calendar, and IANA zones' offsets from `Intl`.
 */
import { builtinError } from "./operands.js";

export const NS_PER_SECOND = 1_000_000_000n;
export const MIN_NS = -(2n ** 63n);
export const MAX_NS = 2n ** 63n - 1n;

/** A zone: `UTC`, a fixed offset (seconds east) from a parsed text, or an IANA zone name. */
export type Zone = { kind: "utc" } | { kind: "fixed"; offset: number; name: string } | { kind: "iana"; name: string };

export const UTC: Zone = { kind: "utc" };

/** Civil fields of an instant in a zone. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
  /** 0 = Sunday. */
  weekday: number;
  /** 1-based day of the year. */
  yday: number;
  /** Offset from UTC in seconds. */
  offset: number;
  zone: Zone;
}

/** Days since 1970-01-01 of a civil date (month and day may be out of range: they carry over, as Go's Date does). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = ((m0 % 12) + 12) % 12 + 1;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysIn(year: number, month: number): number {
  return daysFromCivil(year, month + 1, 1) - daysFromCivil(year, month, 1);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Checks an IANA zone name (as Go's LoadLocation would fail: `unknown time zone X`). */
export function loadZone(name: string): Zone {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return { kind: "iana", name: Intl.DateTimeFormat().resolvedOptions().timeZone };
  if (!formatters.has(name)) {
    try {
      formatters.set(name, new Intl.DateTimeFormat("en-US", {
        timeZone: name, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", era: "short",
      }));
    } catch {
      throw builtinError(`unknown time zone ${name}`);
    }
  }
  return { kind: "iana", name };
}

/** Offset in seconds east of UTC of a zone at an instant (whole seconds since the epoch). */
export function zoneOffset(zone: Zone, unixSeconds: number): number {
  if (zone.kind === "utc") return 0;
  if (zone.kind === "fixed") return zone.offset;
  const f = formatters.get(zone.name) ?? (loadZone(zone.name), formatters.get(zone.name) as Intl.DateTimeFormat);
  // Intl works in milliseconds within ±8.64e15; OPA's range (1677–2262) is well inside.
  const parts = Object.fromEntries(f.formatToParts(new Date(unixSeconds * 1000)).map((p) => [p.type, p.value]));
  const year = parts.era === "BC" ? 1 - Number(parts.year) : Number(parts.year);
  const local = daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86400 + Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  return local - unixSeconds;
}

/** The zone's short name at an instant (`PST`, `UTC`; `+0530`-style when the zone has no abbreviation). */
export function zoneAbbreviation(zone: Zone, unixSeconds: number, offset: number): string {
  if (zone.kind === "utc") return "UTC";
  if (zone.kind === "fixed") return zone.name;
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone.name, timeZoneName: "short" })
    .formatToParts(new Date(unixSeconds * 1000)).find((p) => p.type === "timeZoneName")?.value ?? "";
  if (/^[A-Z]{3,5}$/.test(name)) return name;
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, "0");
  const mm = Math.floor((a % 3600) / 60);
  return `${offset < 0 ? "-" : "+"}${hh}${mm === 0 ? "" : String(mm).padStart(2, "0")}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Civil fields of an instant (ns since the epoch) in a zone. */
export function toCivil(ns: bigint, zone: Zone): Civil {
  const seconds = floorDiv(ns, NS_PER_SECOND);
  const nano = Number(ns - seconds * NS_PER_SECOND);
  const offset = zoneOffset(zone, Number(seconds));
  const local = Number(seconds) + offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year, month, day,
    hour: Math.floor(secOfDay / 3600), minute: Math.floor((secOfDay % 3600) / 60), second: secOfDay % 60, nano,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    offset, zone,
  };
}

/**
 * The instant of civil fields in a zone (fields may be out of range and carry over, as Go's time.Date). For IANA
 * zones the offset is found as Go does: the offset in effect at the local time read as UTC, corrected once.
 */
export function fromCivil(c: Omit<Civil, "weekday" | "yday" | "offset">): bigint {
  const local = BigInt(daysFromCivil(c.year, c.month, c.day)) * 86400n + BigInt(c.hour) * 3600n + BigInt(c.minute) * 60n + BigInt(c.second);
  let offset = zoneOffset(c.zone, Number(local));
  const guess = Number(local) - offset;
  const again = zoneOffset(c.zone, guess);
  if (again !== offset && zoneOffset(c.zone, Number(local) - again) === again) offset = again;
  return (local - BigInt(offset)) * NS_PER_SECOND + BigInt(c.nano);
}

/** OPA's check that a time fits int64 nanoseconds. */
export function checkRange(ns: bigint): bigint {
  if (ns < MIN_NS || ns > MAX_NS) throw builtinError("time outside of valid range");
  return ns;
}
