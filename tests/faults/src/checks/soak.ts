import type { Sample } from '../harness/monitor.js'
import type { ServiceName } from '../harness/services.js'

export interface MemoryFigures {
  /** Median RSS (MB) of the first and the last fifth of the samples after warm-up, and the highest. */
  warmMb: number
  endMb: number
  maxMb: number
  /** (end - warm) / warm: 0.1 is 10% more memory at the end than just after warm-up. */
  growth: number
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const round = (n: number) => Math.round(n * 10) / 10

/**
 * Whether memory stayed flat: per service, the median RSS over the last fifth of the post-warm-up samples
 * against the median over the first fifth (medians, so one garbage collection's peak does not decide).
 */
export function memoryGrowth(samples: readonly Sample[], warmupMs: number): Partial<Record<ServiceName, MemoryFigures>> {
  const judged = samples.filter((s) => s.atMs >= warmupMs)
  const fifth = Math.max(1, Math.floor(judged.length / 5))
  const figures: Partial<Record<ServiceName, MemoryFigures>> = {}
  for (const name of Object.keys(judged[0]?.rssMb ?? {}) as ServiceName[]) {
    const rss = judged.map((s) => s.rssMb[name]).filter((v): v is number => v !== undefined)
    const warmMb = median(rss.slice(0, fifth))
    const endMb = median(rss.slice(-fifth))
    figures[name] = { warmMb: round(warmMb), endMb: round(endMb), maxMb: round(Math.max(...rss)), growth: round(((endMb - warmMb) / warmMb) * 100) / 100 }
  }
  return figures
}

/** The lines of a service's JSON log at level error (50) or fatal (60); lines that are not JSON are not log lines. */
export function errorLines(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    try {
      return Number((JSON.parse(line) as { level?: number }).level) >= 50
    } catch {
      return false
    }
  })
}
