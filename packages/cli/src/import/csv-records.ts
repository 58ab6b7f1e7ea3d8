import { UsageError } from '../usage-error.js'
import { parseCsv } from './csv.js'
import { type ImportRecord, localProblem } from './import-record.js'

/** The CSV columns (docs/IMPORT.md), in the order the header may use any of; empty cells are absent. */
export const csvColumns = [
  'type',
  'measureId',
  'agreementId',
  'occurredAt',
  'effectiveAt',
  'sourceUrl',
  'sourceTitle',
  'sourceKind',
  'sourcePublisher',
  'sourcePublishedAt',
  'sourceQuote',
  'expectedVersion',
  'idempotencyKey',
  'data',
] as const
type CsvColumn = (typeof csvColumns)[number]
const requiredColumns: CsvColumn[] = ['type', 'occurredAt', 'sourceUrl', 'sourceTitle', 'data']

/** Event inputs from CSV text: the first record is the header; each later record becomes one input. */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  let columns: CsvColumn[] | undefined
  for await (const record of parseCsv(chunks)) {
    if (!columns) {
      if (record.error) throw new UsageError(`CSV header on line ${record.line} is not valid CSV: ${record.error}`)
      columns = readHeader(record.fields)
      continue
    }
    if (record.error) {
      yield { at: record.line, problem: localProblem('', `not valid CSV: ${record.error}`) }
      continue
    }
    if (record.fields.length !== columns.length) {
      yield { at: record.line, problem: localProblem('', `expected ${columns.length} fields as in the header, found ${record.fields.length}`) }
      continue
    }
    const cells = new Map(columns.map((column, i) => [column, record.fields[i] ?? '']))
    yield toInput(record.line, (column) => cells.get(column) || undefined)
  }
}

function readHeader(fields: string[]): CsvColumn[] {
  const unknown = fields.filter((field) => !(csvColumns as readonly string[]).includes(field))
  if (unknown.length) throw new UsageError(`CSV header has unknown columns: ${unknown.join(', ')} (expected some of: ${csvColumns.join(', ')})`)
  const missing = requiredColumns.filter((column) => !fields.includes(column))
  if (missing.length) throw new UsageError(`CSV header lacks the columns: ${missing.join(', ')}`)
  if (!fields.includes('measureId') && !fields.includes('agreementId')) throw new UsageError('CSV header needs a measureId or an agreementId column')
  return fields as CsvColumn[]
}

function toInput(at: number, cell: (column: CsvColumn) => string | undefined): ImportRecord {
  let data: unknown = {}
  const rawData = cell('data')
  if (rawData !== undefined) {
    try {
      data = JSON.parse(rawData)
    } catch (err) {
      return { at, problem: localProblem('/data', `not JSON: ${(err as Error).message}`) }
    }
  }
  let expectedVersion: number | undefined
  const rawVersion = cell('expectedVersion')
  if (rawVersion !== undefined) {
    expectedVersion = Number(rawVersion)
    if (!Number.isInteger(expectedVersion)) return { at, problem: localProblem('/expectedVersion', `not an integer: "${rawVersion}"`) }
  }
  const source = {
    kind: cell('sourceKind'),
    url: cell('sourceUrl'),
    title: cell('sourceTitle'),
    publisher: cell('sourcePublisher'),
    publishedAt: cell('sourcePublishedAt'),
    quote: cell('sourceQuote'),
  }
  const input = {
    type: cell('type'),
    measureId: cell('measureId'),
    agreementId: cell('agreementId'),
    occurredAt: cell('occurredAt'),
    effectiveAt: cell('effectiveAt'),
    source,
    data,
    expectedVersion,
    idempotencyKey: cell('idempotencyKey'),
  }
  // JSON.stringify leaves out the absent (undefined) fields.
  return { at, json: JSON.stringify(input) }
}
