import { writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import { envelopeSchema } from '../envelope.js'
import type { AggregateType } from '../subjects.js'
import { eventCatalogue } from './event-catalogue.js'
import type { TradeEventType } from './trade-event.js'

interface JsonSchema {
  type?: string
  const?: unknown
  enum?: unknown[]
  format?: string
  description?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  minItems?: number
}

interface Row {
  path: string
  type: string
  required: string
  description: string
}

// Nullable unions nest (anyOf [oneOf [...], null]); flatten them to the leaf variants.
const variantsOf = (node: JsonSchema): JsonSchema[] =>
  (node.anyOf ?? node.oneOf ?? []).flatMap((variant) => ((variant.anyOf ?? variant.oneOf) ? variantsOf(variant) : [variant]))

const typeOf = (node: JsonSchema): string => {
  if (node.const !== undefined) return JSON.stringify(node.const)
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' \\| ')
  const variants = variantsOf(node)
  if (variants.length > 0) return [...new Set(variants.map(typeOf))].join(' \\| ')
  if (node.type === 'array') return `${node.items ? typeOf(node.items) : 'unknown'}[]`
  if (node.type === 'string' && node.format) return `string (${node.format})`
  return node.type ?? 'any'
}

// Union variants of objects (targets, rates) are told apart by their literal discriminator.
const discriminatorOf = (variant: JsonSchema) => {
  const entry = Object.entries(variant.properties ?? {}).find(([, prop]) => prop.const !== undefined)
  return entry ? `${entry[0]} = ${JSON.stringify(entry[1].const)}` : undefined
}

const rowsOf = (node: JsonSchema, prefix: string): Row[] => {
  const objects = variantsOf(node).filter((variant) => variant.properties)
  if (objects.length > 0) return mergeVariants(objects.map((variant) => ({ when: discriminatorOf(variant), rows: rowsOf(variant, prefix) })))
  if (node.type === 'array' && node.items) return rowsOf(node.items, `${prefix}[]`)
  return Object.entries(node.properties ?? {}).flatMap(([name, prop]) => {
    const path = prefix ? `${prefix}.${name}` : name
    const required = node.required?.includes(name) ? 'yes' : 'no'
    return [{ path, type: typeOf(prop), required, description: prop.description ?? '' }, ...rowsOf(prop, path)]
  })
}

// One row per path across variants: its types joined, required "yes" only if every variant requires it.
const mergeVariants = (variants: { when: string | undefined; rows: Row[] }[]): Row[] => {
  const paths = [...new Set(variants.flatMap((variant) => variant.rows.map((row) => row.path)))]
  return paths.map((path) => {
    const found = variants.map((variant) => ({ when: variant.when, row: variant.rows.find((row) => row.path === path) }))
    const present = found.flatMap(({ when, row }) => (row ? [{ when, row }] : []))
    const requiredWhen = present.filter(({ row }) => row.required === 'yes')
    const required =
      requiredWhen.length === variants.length ? 'yes' : requiredWhen.length === 0 ? 'no' : `when ${requiredWhen.map(({ when }) => when ?? '?').join(' or ')}`
    const type = [...new Set(present.map(({ row }) => row.type))].join(' \\| ')
    return { path, type, required, description: present[0]?.row.description ?? '' }
  })
}

const table = (schema: z.ZodType) => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  const rows = rowsOf(json, '')
  if (rows.length === 0) return '_No fields._\n'
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')
  return markdownTable(
    ['field', 'type', 'required', 'notes'],
    rows.map((row) => [`\`${row.path}\``, row.type, row.required, cell(row.description)]),
  )
}

// Padded like biome formats Markdown, so `biome check --write docs` leaves the generated file alone.
const markdownTable = (header: string[], body: string[][]) => {
  const widths = header.map((title, column) => Math.max(3, title.length, ...body.map((cells) => cells[column]?.length ?? 0)))
  const line = (cells: string[]) => `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line), ''].join('\n')
}

const aggregateTitles: Record<AggregateType, string> = { measure: 'Measure events', agreement: 'Agreement events' }

/** The event catalogue as Markdown: the envelope, then every event type with its fields. Deterministic. */
export const renderEventsMarkdown = (): string => {
  const types = Object.keys(eventCatalogue) as TradeEventType[]
  const sections = (Object.keys(aggregateTitles) as AggregateType[]).map((aggregate) => {
    const events = types
      .filter((type) => eventCatalogue[type].aggregateType === aggregate)
      .map((type) => {
        const entry = eventCatalogue[type]
        const upcast = entry.schemaVersion > 1 ? ' (events stored at older versions are upcast when read)' : ''
        return `### ${type}\n\n${entry.description}\n\nSchema version ${entry.schemaVersion}${upcast}. Stream \`${aggregate}-<id>\`.\n\n${table(entry.schema)}`
      })
    return `## ${aggregateTitles[aggregate]}\n\n${events.join('\n')}`
  })
  return [
    '# Event catalogue',
    '',
    '<!-- Generated by packages/domain/src/catalogue/write-docs.ts (`pnpm docs:events`); do not edit by hand. A unit test fails when this file is stale. -->',
    '',
    'Events are emmett-style `{ type, data }`, carried in the envelope below. Objects are strict: unknown fields are rejected.',
    'Dates inside `data` are calendar days (YYYY-MM-DD); end dates (`until`) are exclusive. When an event happened and when it',
    'takes effect are envelope fields (`occurredAt`, `effectiveAt`), never repeated in `data`: for example a suspension starts at',
    'its `effectiveAt` (or `occurredAt`) and runs until `data.until`.',
    '',
    '## Envelope',
    '',
    table(envelopeSchema),
    ...sections,
  ].join('\n')
}

const repoRoot = new URL('../../../../', import.meta.url)

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = new URL('docs/EVENTS.md', repoRoot)
  writeFileSync(target, renderEventsMarkdown())
  console.log(`wrote ${fileURLToPath(target)}`)
}
