import { describe, expect, it } from 'vitest'
import type { EventInput } from './event-input.js'
import { idempotencyKeyOf } from './idempotency.js'

const input = (type: string, url: string, data: unknown) => ({ type, source: { url }, data }) as unknown as EventInput

describe('idempotencyKeyOf', () => {
  // Keys recorded for ever were hashed from the canonical text: these fingerprints were taken
  // before the canonical form was rewritten for speed, and must never change.
  it('fingerprints facts exactly as keys already recorded were', () => {
    const keys = [
      input('MeasureAnnounced', 'https://example.org/a', { b: 1, a: [3, { z: null, y: 'é"\\' }], ü: true, '': 0, A: -1.5e-7, skip: undefined }),
      input('MeasureRateChanged', 'https://example.org/"q"', { rate: { type: 'ad_valorem', percent: 25 }, list: [], obj: {}, arr: [undefined, null, 'x'] }),
      input('AgreementSigned', 'https://example.org/c', 'bare'),
    ].map((i) => idempotencyKeyOf(i, 'measure-x'))
    expect(keys).toEqual([
      'fp:NRFywaDuibZ3ODvw_nmnQVoxDjUJ5kJZ9Y9uWVp2X8Y',
      'fp:ryFUA9oU_dfgtOgrmMK_IC9ZYmBeVLcz77jOmk-2dvU',
      'fp:qszM86hnfsk_vT5ffx-NfJ4NMidc6DspljsdkDk9iS8',
    ])
  })

  it('ignores key order and undefined members, and scopes a producer key to its aggregate', () => {
    const a = idempotencyKeyOf(input('MeasureAnnounced', 'u', { x: 1, y: { p: 2, q: 3 } }), 'measure-m')
    const b = idempotencyKeyOf(input('MeasureAnnounced', 'u', { y: { q: 3, p: 2 }, z: undefined, x: 1 }), 'measure-m')
    expect(b).toBe(a)
    expect(idempotencyKeyOf(input('MeasureAnnounced', 'u', { x: 1, y: { p: 2, q: 4 } }), 'measure-m')).not.toBe(a)
    expect(idempotencyKeyOf({ ...input('MeasureAnnounced', 'u', {}), idempotencyKey: 'k1' }, 'measure-m')).toBe('key:measure-m:k1')
  })
})
