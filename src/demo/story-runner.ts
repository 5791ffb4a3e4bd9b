/**
 * The demo's steps: one progress line each with the time since the start, and bounded waits. A step that does not
 * see its expected outcome throws `StepFailed` naming the step, which the demo prints and exits 1 on.
 */

/** A story step whose expected outcome did not happen (or not within the step's time). */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`step "${step}": ${message}`);
  }
}

export interface StepContext {
  /** Polls `probe` every 100 ms until it returns something other than undefined; fails the step after the step's time limit. */
  waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T>;
  /** Fails the step with `message`. */
  fail(message: string): never;
  /** Fails the step with `message` unless `condition` holds. */
  expect(condition: boolean, message: string): void;
  /** A detail line printed under the step's line. */
  detail(text: string): void;
}

export interface StoryRunnerOptions {
  /** Where lines go (stdout in the demo). */
  out: (line: string) => void;
  /** The longest any one step may take. */
  stepTimeoutMs: number;
  /** Wall-clock start of the demo (the progress lines count from it). */
  startedAt?: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export class StoryRunner {
  private readonly startedAt: number;
  private count = 0;

  constructor(private readonly options: StoryRunnerOptions) {
    this.startedAt = options.startedAt ?? Date.now();
  }

  /** Seconds since the demo started, as printed. */
  elapsed(): string {
    return seconds(Date.now() - this.startedAt);
  }

  get steps(): number {
    return this.count;
  }

  /** Runs one step; `run` returns the text of its progress line. */
  async step(name: string, run: (ctx: StepContext) => Promise<string>): Promise<void> {
    this.count += 1;
    const number = this.count;
    const started = Date.now();
    const deadline = started + this.options.stepTimeoutMs;
    const details: string[] = [];
    const fail = (message: string): never => {
      throw new StepFailed(name, message);
    };
    const ctx: StepContext = {
      fail,
      waitFor: async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> => {
        for (;;) {
          const value = await probe();
          if (value !== undefined) return value;
          if (Date.now() > deadline) throw new StepFailed(name, `waited ${seconds(this.options.stepTimeoutMs)} for ${what}; it did not happen`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      expect: (condition: boolean, message: string): void => {
        if (!condition) fail(message);
      },
      detail: (text: string) => details.push(text),
    };
    const line = await run(ctx);
    this.options.out(`[${this.elapsed().padStart(6)}] ${number}. ${name}: ${line} (${seconds(Date.now() - started)})`);
    for (const d of details) this.options.out(`           ${d}`);
  }
}
