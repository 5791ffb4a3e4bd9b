/**
 * Go's time layouts (the reference time `Mon Jan 2 15:04:05 MST 2006`) for `time.format` and `time.parse_ns`:
 * a layout is split into literal text and elements (`2006`, `Jan`, `15`, `.000`, `Z07:00`, …) as Go's
 * `nextStdChunk` does, then written or read element by element.
 */
import { builtinError } from "./operands.js";
import { fromCivil, loadZone, toCivil, UTC, zoneAbbreviation, type Civil, type Zone } from "./time-civil.js";

/** Go's named layouts (`time.RFC3339`, …), accepted by name where OPA accepts them. */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Layout elements, longest first where one is a prefix of another. */
const ELEMENTS = [
  "January", "Jan", "Monday", "Mon", "MST", "2006", "002", "01", "02", "03", "04", "05", "06", "15", "__2", "_2",
  "-07:00:00", "-070000", "-07:00", "-0700", "-07", "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07", "PM", "pm", "1", "2", "3", "4", "5",
];

type Chunk = { lit: string } | { el: string } | { frac: "0" | "9"; digits: number; sep: string };

/** Splits a layout into literal text and elements. */
export function layoutChunks(layout: string): Chunk[] {
  const chunks: Chunk[] = [];
  let lit = "";
  let i = 0;
  const push = (c: Chunk): void => {
    if (lit !== "") chunks.push({ lit });
    lit = "";
    chunks.push(c);
  };
  while (i < layout.length) {
    const rest = layout.slice(i);
    const frac = /^([.,])(0+|9+)(?!\d)/.exec(rest);
    if (frac) {
      push({ frac: (frac[2] as string)[0] as "0" | "9", digits: (frac[2] as string).length, sep: frac[1] as string });
      i += frac[0].length;
      continue;
    }
    // `Jan`/`Mon` followed by a lower-case letter (other than `January`/`Monday`) is literal text, as in Go.
    const el = ELEMENTS.find((e) => rest.startsWith(e) && !((e === "Jan" || e === "Mon") && /^[a-z]/.test(rest.slice(3))));
    if (el) {
      push({ el });
      i += el.length;
      continue;
    }
    lit += layout[i];
    i++;
  }
  if (lit !== "") chunks.push({ lit });
  return chunks;
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, "0");

function zoneText(el: string, offset: number): string {
  if (el.startsWith("Z") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  const shape = el.replace(/^Z/, "-");
  if (shape === "-07") return `${sign}${hh}`;
  if (shape === "-0700") return `${sign}${hh}${mm}`;
  if (shape === "-07:00") return `${sign}${hh}:${mm}`;
  if (shape === "-070000") return `${sign}${hh}${mm}${ss}`;
  return `${sign}${hh}:${mm}:${ss}`;
}

/** Formats civil fields with a Go layout. */
export function formatLayout(c: Civil, layout: string, unixSeconds: number): string {
  let out = "";
  for (const chunk of layoutChunks(layout)) {
    if ("lit" in chunk) out += chunk.lit;
    else if ("frac" in chunk) {
      let digits = pad(c.nano, 9).slice(0, chunk.digits);
      if (chunk.frac === "9") digits = digits.replace(/0+$/, "");
      if (digits !== "") out += chunk.sep + digits;
    } else {
      const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
      const y = c.year < 0 ? `-${pad(c.year, 4)}` : pad(c.year, 4);
      const map: Record<string, () => string> = {
        January: () => MONTHS[c.month - 1] as string, Jan: () => (MONTHS[c.month - 1] as string).slice(0, 3),
        Monday: () => DAYS[c.weekday] as string, Mon: () => (DAYS[c.weekday] as string).slice(0, 3),
        MST: () => zoneAbbreviation(c.zone, unixSeconds, c.offset),
        "2006": () => y, "06": () => pad(c.year % 100, 2), "002": () => pad(c.yday, 3), __2: () => String(c.yday).padStart(3, " "),
        "01": () => pad(c.month, 2), "1": () => String(c.month), "02": () => pad(c.day, 2), "2": () => String(c.day), _2: () => String(c.day).padStart(2, " "),
        "15": () => pad(c.hour, 2), "03": () => pad(h12, 2), "3": () => String(h12), "04": () => pad(c.minute, 2), "4": () => String(c.minute),
        "05": () => pad(c.second, 2), "5": () => String(c.second), PM: () => (c.hour >= 12 ? "PM" : "AM"), pm: () => (c.hour >= 12 ? "pm" : "am"),
      };
      out += map[chunk.el]?.() ?? zoneText(chunk.el, c.offset);
    }
  }
  return out;
}

function parseError(value: string, layout: string, valueElem: string, layoutElem: string, extra = ""): Error {
  const q = JSON.stringify;
  return builtinError(`parsing time ${q(value)} as ${q(layout)}: cannot parse ${q(valueElem)} as ${q(layoutElem)}${extra}`);
}

/** Parses a value with a Go layout, as Go's time.Parse (UTC unless the value carries an offset). */
export function parseLayout(layout: string, value: string): bigint {
  const f = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nano: 0, pm: undefined as boolean | undefined, yday: -1 };
  let zone: Zone = UTC;
  let rest = value;
  const chunks = layoutChunks(layout);
  const num = (min: number, max: number, el: string): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) throw parseError(value, layout, rest, el);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const word = (list: string[], short: boolean, el: string): number => {
    const i = list.findIndex((w) => rest.toLowerCase().startsWith((short ? w.slice(0, 3) : w).toLowerCase()));
    if (i < 0) throw parseError(value, layout, rest, el);
    rest = rest.slice(short ? 3 : (list[i] as string).length);
    return i;
  };
  for (const [k, chunk] of chunks.entries()) {
    if ("lit" in chunk) {
      if (!rest.startsWith(chunk.lit)) throw parseError(value, layout, rest, chunk.lit);
      rest = rest.slice(chunk.lit.length);
      continue;
    }
    if ("frac" in chunk) {
      const m = /^[.,](\d+)/.exec(rest);
      if (m) {
        f.nano = Number(((m[1] as string) + "000000000").slice(0, 9));
        rest = rest.slice(m[0].length);
      } else if (chunk.frac === "0") throw parseError(value, layout, rest, chunk.sep + "0".repeat(chunk.digits));
      continue;
    }
    const el = chunk.el;
    switch (el) {
      case "2006": f.year = num(4, 4, el); break;
      case "06": f.year = num(2, 2, el); f.year += f.year >= 69 ? 1900 : 2000; break;
      case "01": f.month = num(2, 2, el); break;
      case "1": f.month = num(1, 2, el); break;
      case "January": f.month = word(MONTHS, false, el) + 1; break;
      case "Jan": f.month = word(MONTHS, true, el) + 1; break;
      case "Monday": word(DAYS, false, el); break;
      case "Mon": word(DAYS, true, el); break;
      case "02": f.day = num(2, 2, el); break;
      case "_2": if (rest.startsWith(" ")) rest = rest.slice(1); f.day = num(1, 2, el); break;
      case "2": f.day = num(1, 2, el); break;
      case "002": f.yday = num(3, 3, el); break;
      case "__2": rest = rest.replace(/^ {1,2}/, ""); f.yday = num(1, 3, el); break;
      case "15": f.hour = num(1, 2, el); break;
      case "03": case "3": f.hour = num(el === "03" ? 2 : 1, 2, el); break;
      case "04": case "4": f.minute = num(el === "04" ? 2 : 1, 2, el); break;
      case "05": case "5": {
        f.second = num(el === "05" ? 2 : 1, 2, el);
        // Go accepts a fractional second after seconds even when the layout has none.
        const next = chunks[k + 1];
        const m = /^[.,](\d+)/.exec(rest);
        if (m && !(next && "frac" in next)) {
          f.nano = Number(((m[1] as string) + "000000000").slice(0, 9));
          rest = rest.slice(m[0].length);
        }
        break;
      }
      case "PM": case "pm": {
        const ap = rest.slice(0, 2).toUpperCase();
        if (ap !== "AM" && ap !== "PM") throw parseError(value, layout, rest, el);
        f.pm = ap === "PM";
        rest = rest.slice(2);
        break;
      }
      case "MST": {
        const m = /^(UTC|GMT|[A-Z]{3,5})/.exec(rest);
        if (!m) throw parseError(value, layout, rest, el);
        rest = rest.slice(m[0].length);
        break;
      }
      default: {
        if (el.startsWith("Z") && rest.startsWith("Z")) {
          rest = rest.slice(1);
          zone = UTC;
          break;
        }
        const shape = el.replace(/^Z/, "-");
        const pattern = { "-07": /^([+-])(\d\d)/, "-0700": /^([+-])(\d\d)(\d\d)/, "-07:00": /^([+-])(\d\d):(\d\d)/, "-070000": /^([+-])(\d\d)(\d\d)(\d\d)/, "-07:00:00": /^([+-])(\d\d):(\d\d):(\d\d)/ }[shape];
        const m = pattern?.exec(rest);
        if (!m) throw parseError(value, layout, rest, el);
        const offset = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * (m[1] === "-" ? -1 : 1);
        zone = { kind: "fixed", offset, name: "" };
        rest = rest.slice(m[0].length);
      }
    }
  }
  if (rest !== "") throw builtinError(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (f.pm !== undefined) {
    if (f.hour > 12) throw builtinError(`parsing time ${JSON.stringify(value)}: hour out of range`);
    if (f.pm && f.hour < 12) f.hour += 12;
    else if (!f.pm && f.hour === 12) f.hour = 0;
  }
  if (f.yday >= 0) {
    f.month = 1;
    f.day = f.yday;
  }
  const range = (ok: boolean, what: string): void => {
    if (!ok) throw builtinError(`parsing time ${JSON.stringify(value)}: ${what} out of range`);
  };
  range(f.month >= 1 && f.month <= 12, "month");
  range(f.day >= 1 && f.day <= (f.yday >= 0 ? 366 : new Date(Date.UTC(f.year, f.month, 0)).getUTCDate()), "day");
  range(f.hour < 24, "hour");
  range(f.minute < 60, "minute");
  range(f.second < 60, "second");
  return fromCivil({ ...f, zone });
}

/** The zone of a `time.*` operand's zone name. */
export function zoneNamed(name: string): Zone {
  return loadZone(name);
}

/** Formats an instant in a zone with a layout given by text or name. */
export function formatInstant(ns: bigint, zone: Zone, layout: string): string {
  const c = toCivil(ns, zone);
  const seconds = Number((ns - BigInt(c.nano)) / 1_000_000_000n);
  return formatLayout(c, NAMED_LAYOUTS[layout] ?? layout, seconds);
}
