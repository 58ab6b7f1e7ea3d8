import type { AgreementEventData, AgreementEventType, MeasureEventData, MeasureEventType, Rate, Source } from '@tradewatch/domain'
import type { DemoEventInput } from '../demo-event-input.js'
import type { TimelineEntry } from '../timeline.js'
import { sourceOf } from './sources.js'

/** Which timeline entry a fact comes from, when it happened in the world and, if later, when it takes effect. */
export interface When {
  from: string
  on: string
  effective?: string
}

/** Collects event inputs in the order they are written down, each citing the timeline entry it encodes. */
export class Recorder {
  readonly inputs: DemoEventInput[] = []
  readonly usedEntries = new Set<string>()
  private readonly sources: Map<string, Source>

  constructor(entries: readonly TimelineEntry[]) {
    this.sources = new Map(entries.map((entry) => [entry.id, sourceOf(entry)]))
  }

  measure<T extends MeasureEventType>(measureId: string, when: When, type: T, data: MeasureEventData<T>): this {
    return this.add({ type, measureId, ...this.envelope(when), data })
  }

  agreement<T extends AgreementEventType>(agreementId: string, when: When, type: T, data: AgreementEventData<T>): this {
    return this.add({ type, agreementId, ...this.envelope(when), data })
  }

  private envelope({ from, on, effective }: When) {
    const source = this.sources.get(from)
    if (!source) throw new Error(`no timeline entry ${from}`)
    this.usedEntries.add(from)
    return { occurredAt: on, ...(effective && effective !== on ? { effectiveAt: effective } : {}), source }
  }

  private add(input: DemoEventInput): this {
    this.inputs.push(input)
    return this
  }
}

export const pct = (percent: number, form?: 'duty' | 'deposit'): Rate => ({ type: 'ad_valorem', percent, ...(form ? { form } : {}) })
export const hs = (...codes: string[]) => codes.map((code) => ({ code, nomenclature: 'HS2022' as const }))
export const hs2017 = (...codes: string[]) => codes.map((code) => ({ code, nomenclature: 'HS2017' as const }))
export const listed = (...countries: string[]) => ({ mode: 'listed' as const, countries })
