/** One measured figure. `ratio` is against a baseline measured in the same process, the figure that counts. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** value ÷ baseline value, when the benchmark has a baseline. */
  ratio?: number;
  baseline?: string;
  note?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** Median of `runs` timings (ms) of `fn`, after `warmup` untimed calls. */
export async function medianMs(fn: () => unknown, runs = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
