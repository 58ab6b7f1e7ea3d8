import { splitIntoLanes } from '@tradewatch/test-support'

/** One fact as ingest takes it; the loader adds an idempotency key of its own to each. */
export interface LoadInput {
  measureId?: string
  agreementId?: string
}

export interface LoadReport {
  /** Idempotency keys ingest answered 2xx for (appended, or a retry found them already recorded). */
  accepted: Set<string>
  /** Inputs ingest refused, found unchanged or never answered: the workload is decider-valid, so each is a failure. */
  refused: { key: string; outcome: unknown }[]
  /** Requests repeated after a network error, a timeout, a 429 or a 5xx. */
  retries: number
  requests: number
}

export interface Loader {
  readonly report: LoadReport
  /** Ends each lane after its current batch (retried until accepted) and resolves with the report. */
  stop(): Promise<LoadReport>
}

export interface LoaderOptions {
  ingestUrl: string
  apiKey: string
  inputs: readonly LoadInput[]
  /** Its own keys: `<tag>-<index>`, unique per run. */
  tag: string
  eventsPerSecond: number
  lanes?: number
  /** The most inputs in one request (what is due when the previous answer came, up to this). */
  maxBatch?: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A steady producer: posts `inputs` to ingest at `eventsPerSecond`, in batches from concurrent lanes. An
 * aggregate's facts stay in one lane and in order, and a batch is repeated until ingest answers it, so
 * kills and outages can cost time but never a fact or its order.
 */
export function startLoader(options: LoaderOptions): Loader {
  const { ingestUrl, apiKey, tag, eventsPerSecond, lanes = 4, maxBatch = 500 } = options
  const report: LoadReport = { accepted: new Set(), refused: [], retries: 0, requests: 0 }
  const byLane = splitIntoLanes(
    options.inputs.map((input, index) => ({ ...input, idempotencyKey: `${tag}-${index}` })),
    lanes,
  )
  let stopping = false
  // After a stop, a batch nobody answers (ingest gone for good) is given up on rather than awaited for ever.
  let giveUpAt = Number.POSITIVE_INFINITY

  const postUntilAnswered = async (batch: readonly unknown[]) => {
    for (;;) {
      report.requests++
      const answer = await fetch(`${ingestUrl}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (response) => ({ status: response.status, body: (await response.json().catch(() => undefined)) as any }),
        () => undefined,
      )
      if (answer && answer.status < 300 && Array.isArray(answer.body?.results)) return answer.body.results as { index: number; status: string }[]
      if (answer && answer.status < 500 && answer.status !== 429)
        return batch.map((_, index) => ({ index, status: 'rejected', problem: { status: answer.status, body: answer.body } }))
      if (performance.now() > giveUpAt) return batch.map((_, index) => ({ index, status: 'unanswered' }))
      report.retries++
      await sleep(200)
    }
  }

  // Each round posts what is due by now, so a slow answer makes the next batch bigger, not the rate lower.
  const runLane = async (lane: (LoadInput & { idempotencyKey: string })[]) => {
    const laneRate = eventsPerSecond / lanes
    const started = performance.now()
    for (let i = 0; i < lane.length && !stopping; ) {
      const due = Math.floor(((performance.now() - started) / 1000) * laneRate) - i
      if (due < 1) {
        await sleep(((i + 1) / laneRate) * 1000 - (performance.now() - started))
        continue
      }
      const batch = lane.slice(i, i + Math.min(due, maxBatch))
      const results = await postUntilAnswered(batch)
      for (const result of results) {
        const key = batch[result.index]?.idempotencyKey ?? `(index ${result.index})`
        if (result.status === 'appended' || result.status === 'duplicate') report.accepted.add(key)
        else report.refused.push({ key, outcome: result })
      }
      i += batch.length
    }
  }

  const running = Promise.all(byLane.map(runLane))
  return {
    report,
    async stop() {
      stopping = true
      giveUpAt = performance.now() + 60_000
      await running
      return report
    },
  }
}
