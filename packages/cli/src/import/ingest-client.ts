import http from 'node:http'
import https from 'node:https'
import { createInterface } from 'node:readline'
import { UsageError } from '../usage-error.js'
import type { ImportRecord } from './import-record.js'

export interface Problem {
  status: number
  code: string
  title: string
  detail?: string
  errors?: { path: string; message: string }[]
}

/** One answer line of POST /v1/events (NDJSON). */
export type ResultLine =
  | { line: number; status: 'appended' | 'duplicate' | 'unchanged'; eventId: string; aggregateId: string; version: number; position: number }
  | { line: number; status: 'rejected'; problem: Problem }

export interface IngestSummary {
  lines: number
  appended: number
  duplicate: number
  unchanged: number
  rejected: number
}

/** Ingest refused the whole request (401, 403, 413, 415, 5xx…): nothing of it was recorded. */
export class IngestRefusedError extends Error {
  constructor(readonly problem: Problem) {
    super(`ingest refused the import: ${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`)
    this.name = 'IngestRefusedError'
  }
}

/** The answer stopped before its summary: what was answered stands, the rest is unknown. */
export class ImportIncompleteError extends Error {
  constructor(reason: string) {
    super(`the import is incomplete (${reason}); inputs after the last answered one may not be recorded — importing the file again is safe`)
    this.name = 'ImportIncompleteError'
  }
}

export class IngestUnreachableError extends Error {
  constructor(url: string, cause: Error) {
    super(`cannot reach ingest at ${url}: ${cause.message}`)
    this.name = 'IngestUnreachableError'
  }
}

// Bytes gathered before a write, so a large file is not one syscall per line.
const writeChunkBytes = 64 * 1024

/**
 * Streams the records to ingest as one NDJSON request, with backpressure, and reads the answer while it is still sending.
 * Blank lines pad each record to its `at` line; records with a local problem are sent as blank lines. Resolves with
 * ingest's summary; `onResult` sees every answer line as it arrives.
 */
export function postNdjson(
  ingestUrl: string,
  apiKey: string,
  records: AsyncIterable<ImportRecord>,
  onResult: (result: ResultLine) => void,
): Promise<IngestSummary> {
  const url = new URL('/v1/events', ingestUrl)
  const request = (url.protocol === 'https:' ? https : http).request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
  })
  return new Promise<IngestSummary>((resolve, reject) => {
    let settled = false
    // Once ingest has refused, it may close the connection mid-upload: that write error says nothing new.
    let refused = false
    const fail = (error: Error) => {
      if (settled) return
      settled = true
      request.destroy()
      reject(error)
    }
    request.on(
      'error',
      (error: NodeJS.ErrnoException) =>
        refused ||
        fail(
          error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' ? new IngestUnreachableError(ingestUrl, error) : new ImportIncompleteError(error.message),
        ),
    )
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        refused = true
        readProblem(response).then((problem) => fail(new IngestRefusedError(problem)), fail)
        return
      }
      readAnswer(response, onResult).then((summary) => {
        settled = true
        resolve(summary)
      }, fail)
    })
    writeRecords(request, records).catch((error: Error) => refused || fail(error instanceof UsageError ? error : new ImportIncompleteError(error.message)))
  })
}

async function writeRecords(request: http.ClientRequest, records: AsyncIterable<ImportRecord>): Promise<void> {
  let line = 0
  let buffer = ''
  const flush = async () => {
    if (request.destroyed) throw new Error('the connection closed while sending')
    if (!request.write(buffer)) await drainedOrClosed(request)
    buffer = ''
  }
  for await (const record of records) {
    buffer += '\n'.repeat(Math.max(0, record.at - line - 1))
    buffer += 'json' in record ? `${record.json}\n` : '\n'
    line = record.at
    if (buffer.length >= writeChunkBytes) await flush()
  }
  if (buffer) await flush()
  request.end()
}

// Listeners removed each time: a long upload waits for drain thousands of times.
const drainedOrClosed = (request: http.ClientRequest) =>
  new Promise<void>((resolve) => {
    const done = () => {
      request.off('drain', done).off('close', done)
      resolve()
    }
    request.on('drain', done).on('close', done)
  })

async function readAnswer(response: http.IncomingMessage, onResult: (result: ResultLine) => void): Promise<IngestSummary> {
  let summary: IngestSummary | undefined
  const aborted = new Promise<never>((_, reject) => response.once('aborted', () => reject(new ImportIncompleteError('the connection broke'))))
  const lines = (async () => {
    for await (const text of createInterface({ input: response, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!text.trim()) continue
      const answer = JSON.parse(text) as ResultLine | { summary: IngestSummary } | { error: Problem }
      if ('summary' in answer) summary = answer.summary
      else if ('error' in answer) throw new ImportIncompleteError(`ingest stopped: ${answer.error.code}: ${answer.error.detail ?? answer.error.title}`)
      else onResult(answer)
    }
  })()
  await Promise.race([lines, aborted])
  if (!summary) throw new ImportIncompleteError('the answer ended before its summary')
  return summary
}

async function readProblem(response: http.IncomingMessage): Promise<Problem> {
  let body = ''
  for await (const chunk of response) if (body.length < 65_536) body += chunk
  try {
    return JSON.parse(body) as Problem
  } catch {
    return { status: response.statusCode ?? 0, code: 'HTTP_ERROR', title: response.statusMessage ?? 'HTTP error', detail: body.slice(0, 200) || undefined }
  }
}
