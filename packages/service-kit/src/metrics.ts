import { retainedHeap } from './retained-heap.js'

/**
 * A small Prometheus text-format registry: counters, gauges and histograms with fixed label
 * names. Updating a metric allocates nothing once its label set exists.
 */
type Labels = Record<string, string>

const key = (labels: Labels | undefined) => (labels ? JSON.stringify(labels) : '')
const renderLabels = (labels: Labels | undefined, extra?: string) => {
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '\\$&')}"`)
  if (extra) parts.push(extra)
  return parts.length ? `{${parts.join(',')}}` : ''
}

interface Metric {
  render(): string
}

export class Counter implements Metric {
  private readonly values = new Map<string, { labels?: Labels; value: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(amount = 1, labels?: Labels): void {
    const k = key(labels)
    const entry = this.values.get(k)
    if (entry) entry.value += amount
    else this.values.set(k, { labels, value: amount })
  }
  get(labels?: Labels): number {
    return this.values.get(key(labels))?.value ?? 0
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${renderLabels(labels)} ${value}`)
    return lines.join('\n')
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, { labels?: Labels; value: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect?: () => number,
  ) {}
  set(value: number, labels?: Labels): void {
    const k = key(labels)
    const entry = this.values.get(k)
    if (entry) entry.value = value
    else this.values.set(k, { labels, value })
  }
  render(): string {
    if (this.collect) this.set(this.collect())
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`]
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${renderLabels(labels)} ${value}`)
    return lines.join('\n')
  }
}

export class Histogram implements Metric {
  private readonly counts: number[]
  private sum = 0
  private count = 0
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ) {
    this.counts = buckets.map(() => 0)
  }
  observe(value: number): void {
    this.sum += value
    this.count += 1
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) this.counts[i] = (this.counts[i] as number) + 1
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    this.buckets.forEach((bucket, i) => {
      lines.push(`${this.name}_bucket{le="${bucket}"} ${this.counts[i]}`)
    })
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`)
    return lines.join('\n')
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = []
  constructor(readonly prefix = 'tradewatch_') {
    const started = Date.now() / 1000
    this.gauge('process_start_time_seconds', 'Start time of the process since the epoch.', () => started)
    this.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss())
    const heap = retainedHeap()
    this.gauge('heap_retained_bytes', 'Old-generation bytes in use after the latest full garbage collection.', () => heap.bytes)
    this.gauge('gc_major_collections', 'Full garbage collections since start.', () => heap.majorCollections)
  }
  counter(name: string, help: string): Counter {
    return this.add(new Counter(this.prefix + name, help))
  }
  gauge(name: string, help: string, collect?: () => number): Gauge {
    return this.add(new Gauge(this.prefix + name, help, collect))
  }
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.add(new Histogram(this.prefix + name, help, buckets))
  }
  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`
  }
  private add<M extends Metric>(metric: M): M {
    this.metrics.push(metric)
    return metric
  }
}
