/**
 * Promotion windows over time zones with `Intl` (no dependency): whether an instant is inside the allowed
 * time, and when that next changes.
 */
import type { PromotionWindow } from "../config/promotion-schema.js";
import { WEEKDAYS } from "../config/promotion-schema.js";

export interface WindowState {
  open: boolean;
  /** Why it is closed: the deny window's reason, or that no allow window is open. */
  detail: string;
  /** The next instant the state flips (within 8 days), or null when it never does. */
  changesAt: Date | null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  let weekday = "";
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(at)) {
    if (p.type === "weekday") weekday = p.value.toLowerCase().slice(0, 3);
    else if (p.type === "hour") hour = Number(p.value);
    else if (p.type === "minute") minute = Number(p.value);
  }
  return { day: WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]), minute: hour * 60 + minute };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls inside the window (local days and times of its time zone; an end ≤ start runs past midnight). */
export function insideWindow(w: PromotionWindow, at: Date): boolean {
  const { day, minute } = localParts(at, w.timeZone);
  const start = toMinutes(w.start);
  const end = toMinutes(w.end);
  const startsOn = (d: number) => w.days.includes(WEEKDAYS[(d + 7) % 7] ?? "mon");
  if (end > start) return startsOn(day) && minute >= start && minute < end;
  // Past midnight: the part after the start on a listed day, or the part before the end on the day after one.
  return (startsOn(day) && minute >= start) || (startsOn(day - 1) && minute < end);
}

function openAt(windows: readonly PromotionWindow[], at: Date): { open: boolean; detail: string } {
  const deny = windows.find((w) => w.kind === "deny" && insideWindow(w, at));
  if (deny) return { open: false, detail: `inside deny window ${deny.days.join(",")} ${deny.start}–${deny.end} ${deny.timeZone}${deny.reason ? `: ${deny.reason}` : ""}` };
  const allows = windows.filter((w) => w.kind === "allow");
  if (allows.length > 0 && !allows.some((w) => insideWindow(w, at))) return { open: false, detail: "outside every allow window" };
  return { open: true, detail: windows.length === 0 ? "no windows" : "inside the allowed time" };
}

const MINUTE = 60_000;
const HORIZON = 8 * 24 * 60 * MINUTE;

/**
 * State at `now` and when it next flips: scans in steps no longer than the shortest window (at most 15
 * minutes), then narrows to the minute, so daylight-saving jumps never hide a boundary.
 */
export function windowState(windows: readonly PromotionWindow[], now: Date): WindowState {
  const current = openAt(windows, now);
  if (windows.length === 0) return { ...current, changesAt: null };
  const shortest = Math.min(
    15,
    ...windows.map((w) => {
      const len = (toMinutes(w.end) - toMinutes(w.start) + 1440) % 1440;
      return len === 0 ? 1440 : len;
    }),
  );
  const step = Math.max(1, shortest) * MINUTE;
  const base = Math.floor(now.getTime() / MINUTE) * MINUTE;
  let prev = base;
  for (let t = base + step; t <= base + HORIZON; t += step) {
    if (openAt(windows, new Date(t)).open !== current.open) {
      let lo = prev;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (openAt(windows, new Date(mid)).open !== current.open) hi = mid;
        else lo = mid;
      }
      return { ...current, changesAt: new Date(hi) };
    }
    prev = t;
  }
  return { ...current, changesAt: null };
}
