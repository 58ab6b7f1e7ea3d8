import { countryCodeSchema, partyCodeSchema } from '@tradewatch/domain'
import { HttpProblem, problem } from '@tradewatch/service-kit'
import { z } from 'zod'

/** Query-string fields shared by several routes, each with the message a 400 carries. */
export const partyParam = partyCodeSchema
export const countryParam = countryCodeSchema
/** An HS code or a national tariff line: 2 to 10 digits. */
export const hsParam = z
  .string()
  .regex(/^\d{2,10}$/, { message: 'must be 2 to 10 digits (an HS code or a national tariff line)' })
  .describe('HS code or national tariff line, 2–10 digits')
export const dateParam = z.iso.date({ message: 'must be a date, YYYY-MM-DD' })
export const instantParam = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant, e.g. 2026-01-16T00:00:00Z' })
/** Today in UTC, the default world date of "as of" questions. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10)

/** A 400 naming fields a zod schema alone cannot judge (unknown fields, one field against another). */
export const invalidFields = (errors: { path: string; message: string }[]) => new HttpProblem(problem(400, 'INVALID_REQUEST', 'Invalid request', { errors }))
