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

/**
 * Median CPU time (user + system, ms) of this process over `runs` calls of `fn` after `warmup` untimed calls. CPU
 * time rather than wall time: the bench machine is shared, and other processes' load must not count.
 */
export async function medianCpuMs(fn: () => unknown, runs: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
}

/**
 * CPU-time medians of two functions measured in alternating rounds (each round the median of `runs` calls of each), so
 * that machine load hits both alike; `warmup` untimed calls of each before the first round. Returns each side's
 * round medians, in round order.
 */
export async function alternatingCpuMs(a: () => unknown, b: () => unknown, rounds: number, runs: number, warmup: number): Promise<[number[], number[]]> {
  const aRuns: number[] = [];
  const bRuns: number[] = [];
  for (let round = 0; round < rounds; round++) {
    aRuns.push(await medianCpuMs(a, runs, round === 0 ? warmup : 0));
    bRuns.push(await medianCpuMs(b, runs, round === 0 ? warmup : 0));
  }
  return [aRuns, bRuns];
}
