import { readFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './processes.js'

const example = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8')) as Record<string, unknown> & {
  source: Record<string, unknown>
}

/** The documented MeasureAnnounced example for another measure, with its own source url (its own fact). */
export function announcement(measureId: string): Record<string, unknown> {
  return { ...example, measureId, source: { ...example.source, url: `${example.source.url}#${measureId}` } }
}

export interface PostResult {
  status: number
  /** Parsed JSON: tests read whichever answer shape they expect. */
  body: any
  ms: number
}

/** POST /v1/events with a JSON body, timed. */
export async function postEvents(baseUrl: string, apiKey: string, body: unknown): Promise<PostResult> {
  const started = performance.now()
  const response = await fetch(`${baseUrl}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started }
}
