import { type HsEntry, partyCodes, partyName } from '@tradewatch/domain'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { cursorParam, limitParam, pageOf, toPage } from '../http/pagination.js'
import { defineGet } from '../openapi/define-route.js'
import { hsIndex } from './hs-index.js'

const countrySchema = z.object({ code: z.string(), name: z.string() })
const hsSchema = z.object({
  code: z.string(),
  description: z.string(),
  level: z.number().int().describe('2 chapter, 4 heading, 6 subheading'),
  parent: z.string().nullable(),
  section: z.string(),
})

const searchText = z.string().trim().min(1, { message: 'must not be empty' }).max(100, { message: 'must be at most 100 characters' })
/** Every word of `q` (case-insensitive) in `text`. */
const matchesWords = (q: string | undefined, ...texts: string[]) => {
  if (!q) return true
  const haystack = texts.join(' ').toLowerCase()
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word))
}

export async function referenceRoute(app: FastifyInstance): Promise<void> {
  const parties = partyCodes().map((code) => ({ code, name: partyName(code) }))
  // Built at start-up rather than on the first request.
  const hs = hsIndex()

  defineGet(
    app,
    {
      url: '/v1/countries',
      scope: 'read',
      summary: 'Parties (ISO 3166-1 countries and EU) with their names, for pickers',
      description: 'A fixed list of about 250, so not paginated.',
      tags: ['reference'],
      cache: 'reference',
      query: { q: searchText.optional().describe('words of the name, or the code') },
      responses: { 200: { description: 'The parties, by code', schema: z.object({ items: z.array(countrySchema) }) } },
    },
    async ({ query }) => ({ items: parties.filter((p) => matchesWords(query.q, p.code, p.name)) }),
  )

  defineGet(
    app,
    {
      url: '/v1/hs',
      scope: 'read',
      summary: 'HS 2022 chapters, headings and subheadings, for pickers',
      description: 'By code prefix and/or words of the description, in code order.',
      tags: ['reference'],
      cache: 'reference',
      query: {
        q: searchText.optional().describe('words of the description'),
        prefix: z
          .string()
          .regex(/^\d{1,6}$/, { message: 'must be 1 to 6 digits' })
          .optional(),
        level: z.enum(['2', '4', '6']).optional(),
        limit: limitParam(500, 100),
        cursor: cursorParam(z.tuple([z.string()])).optional(),
      },
      responses: { 200: { description: 'One page of HS entries', schema: pageOf(hsSchema) } },
    },
    async ({ query }) => {
      const after = query.cursor?.[0]
      const matching = hs.filter(
        (e: HsEntry) =>
          (!after || e.code > after) &&
          (!query.prefix || e.code.startsWith(query.prefix)) &&
          (!query.level || String(e.level) === query.level) &&
          matchesWords(query.q, e.description),
      )
      return toPage(
        matching.slice(0, query.limit + 1),
        query.limit,
        (e) => [e.code],
        (e) => ({ ...e }),
      )
    },
  )
}
