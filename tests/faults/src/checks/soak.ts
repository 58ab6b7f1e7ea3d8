import type { Sample } from '../harness/monitor.js'
import type { ServiceName } from '../harness/services.js'

export interface Trend {
  /** The least-squares line through the samples after warm-up, at its first and last sample (MB). */
  startMb: number
  endMb: number
  maxMb: number
  /** (end - start) / start: 0.1 is 10% more at the end of the soak than just after warm-up. */
  growth: number
}

export interface MemoryFigures {
  /** Old generation in use after full collections: what a leak grows. The soak judges this. */
  retained: Trend
  /** Resident memory: reported, not judged. It swings by a quarter as V8 sizes its heap. */
  rss: Trend
}

const round = (n: number) => Math.round(n * 10) / 10

/** A line, not windows: a sawtooth fits flat wherever the last collection fell, a leak fits rising. */
function trend(points: readonly [number, number][]): Trend {
  const n = points.length
  let meanX = 0
  let meanY = 0
  for (const [x, y] of points) {
    meanX += x / n
    meanY += y / n
  }
  let sxy = 0
  let sxx = 0
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY)
    sxx += (x - meanX) ** 2
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  const at = (x: number) => meanY + slope * (x - meanX)
  const startMb = at(points[0]?.[0] ?? 0)
  const endMb = at(points.at(-1)?.[0] ?? 0)
  const maxMb = Math.max(...points.map(([, y]) => y))
  return { startMb: round(startMb), endMb: round(endMb), maxMb: round(maxMb), growth: Math.round(((endMb - startMb) / startMb) * 1000) / 1000 }
}

/** Per service, the trend of its retained heap and of its RSS over the samples taken after `warmupMs`. */
export function memoryGrowth(samples: readonly Sample[], warmupMs: number): Partial<Record<ServiceName, MemoryFigures>> {
  const judged = samples.filter((s) => s.atMs >= warmupMs)
  const figures: Partial<Record<ServiceName, MemoryFigures>> = {}
  const series = (pick: (s: Sample) => number | undefined) =>
    judged.flatMap((s): [number, number][] => {
      const value = pick(s)
      return value === undefined || Number.isNaN(value) ? [] : [[s.atMs, value]]
    })
  for (const name of Object.keys(judged[0]?.rssMb ?? {}) as ServiceName[]) {
    figures[name] = { retained: trend(series((s) => s.retainedMb[name])), rss: trend(series((s) => s.rssMb[name])) }
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
