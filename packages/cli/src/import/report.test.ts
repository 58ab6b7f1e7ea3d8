import { describe, expect, it } from 'vitest'
import { localProblem } from './import-record.js'
import { renderProgress } from './progress.js'
import { formatOf } from './read-file.js'
import { merge, renderOutcome } from './report.js'

describe('renderOutcome', () => {
  it('counts the inputs, local rejections included, and lists each rejection in file order with its reasons and field paths', () => {
    const outcome = merge(
      { lines: 9, appended: 5, duplicate: 1, unchanged: 0, rejected: 2 },
      [{ origin: { line: 3 }, problem: localProblem('/data', 'not JSON: Unexpected token') }],
      [
        { origin: { line: 8 }, problem: { status: 422, code: 'MEASURE_NOT_ANNOUNCED', title: 'Domain rule', detail: 'Cannot record MeasureRevoked' } },
        {
          origin: { line: 2 },
          problem: { status: 400, code: 'INVALID_REQUEST', title: 'Invalid request', errors: [{ path: '/data/imposer', message: 'must be ISO' }] },
        },
      ],
    )
    expect(renderOutcome('f.csv', outcome)).toBe(
      [
        'f.csv: 9 inputs: 5 appended, 1 duplicate, 0 unchanged, 3 rejected',
        '  line 2: 400 INVALID_REQUEST: /data/imposer: must be ISO',
        '  line 3: 400 INVALID_RECORD: /data: not JSON: Unexpected token',
        '  line 8: 422 MEASURE_NOT_ANNOUNCED: Cannot record MeasureRevoked',
      ].join('\n'),
    )
  })
  it('names JSON items by their array index', () => {
    const outcome = merge({ lines: 1, appended: 0, duplicate: 0, unchanged: 0, rejected: 1 }, [], [{ origin: { index: 0 }, problem: localProblem('', 'x') }])
    expect(renderOutcome('f.json', outcome)).toContain('  item [0]: 400 INVALID_RECORD: (input): x')
  })
})

describe('renderProgress', () => {
  it('draws a bar with counts and rate when the total is known, counts alone otherwise', () => {
    expect(renderProgress(25_000, 50_000, 'lines', 5, 80)).toBe('[###############...............] 25,000 / 50,000 lines  5,000/s')
    expect(renderProgress(10, undefined, 'items', 0, 80)).toBe('10 items  0/s')
  })
})

describe('formatOf', () => {
  it('takes --format, else the extension, and refuses what it cannot tell', () => {
    expect(formatOf('a.csv', undefined)).toBe('csv')
    expect(formatOf('a.jsonl', undefined)).toBe('ndjson')
    expect(formatOf('a.txt', 'json')).toBe('json')
    expect(() => formatOf('a.txt', undefined)).toThrow('cannot tell the format')
    expect(() => formatOf('a.csv', 'xml')).toThrow('--format must be one of json, ndjson, csv')
  })
})
