import os from 'node:os'

export interface Measurement {
  /** Key in bench/results.json, e.g. `ingest_events_per_s`. */
  name: string
  unit: string
  /** The figure the project aims for, if any, and whether higher is better. */
  target?: { value: number; higherIsBetter: boolean }
  /** The machine limit this figure is a share of (another measurement's name). */
  limit?: string
  /** false: no warm-up run (a figure that starts its processes afresh each run, e.g. peak memory). */
  warmUp?: boolean
  /** Runs once and returns the figure; called for warm-up and for each repetition. */
  run(): Promise<number>
}

export interface Result {
  name: string
  unit: string
  median: number
  min: number
  max: number
  runs: number[]
  target?: Measurement['target']
  limit?: string
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

/** Warm-up once, then `repetitions` measured runs; the median is the figure that counts. */
export async function measure(m: Measurement, repetitions: number, log: (line: string) => void): Promise<Result> {
  if (m.warmUp !== false) {
    log(`${m.name}: warm-up`)
    await m.run()
  }
  const runs: number[] = []
  for (let i = 0; i < repetitions; i++) {
    const value = await m.run()
    log(`${m.name}: run ${i + 1}/${repetitions} = ${format(value)} ${m.unit}`)
    runs.push(value)
  }
  return { name: m.name, unit: m.unit, median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs, target: m.target, limit: m.limit }
}

export function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2)
}

/** Whether the median meets its target (undefined without one). */
export function met(r: Result): boolean | undefined {
  if (!r.target) return undefined
  return r.target.higherIsBetter ? r.median >= r.target.value : r.median <= r.target.value
}

/**
 * The figure as a share of the machine limit it names, from this run's limits or, when a subset ran without
 * them, `limits` from the last full run.
 */
export function ofLimit(r: Result, limits: Map<string, number>): number | undefined {
  const limit = r.limit ? limits.get(r.limit) : undefined
  return limit ? r.median / limit : undefined
}

/** The figures as a table; a figure with a `limit` also shows its ratio to that limit. */
export function table(results: Result[], limits: Map<string, number>): string {
  const header = ['metric', 'median', 'min–max', 'unit', 'target', 'met', 'of limit']
  const rows = results.map((r) => {
    const ok = met(r)
    const ratio = ofLimit(r, limits)
    return [
      r.name,
      format(r.median),
      `${format(r.min)}–${format(r.max)}`,
      r.unit,
      r.target ? `${r.target.higherIsBetter ? '≥' : '≤'} ${format(r.target.value)}` : '',
      ok === undefined ? '' : ok ? 'yes' : 'NO',
      ratio === undefined ? '' : `${(ratio * 100).toFixed(0)}% of ${r.limit}`,
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ')
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n')
}

/** The machine the figures came from, with the server versions measured against. */
export function machine(versions: { postgres: string; nats: string }) {
  return {
    ...versions,
    hostname: os.hostname(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  }
}
