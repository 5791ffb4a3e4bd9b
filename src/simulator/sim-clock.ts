/** The simulator's clock: every timestamp the simulated GitHub writes comes from here; tests move it forward. */
export class SimClock {
  private ms: number;

  constructor(start: Date | string = "2026-01-01T00:00:00Z") {
    this.ms = new Date(start).getTime();
    if (Number.isNaN(this.ms)) throw new Error(`SimClock: invalid start time ${String(start)}`);
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** ISO-8601 without milliseconds, as GitHub writes timestamps. */
  iso(): string {
    return new Date(this.ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`SimClock.advance: expected a non-negative number of ms, got ${ms}`);
    this.ms += ms;
    return this.now();
  }
}
