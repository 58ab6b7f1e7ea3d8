import { type DemoEventInput, readDemoEvents } from '@tradewatch/demo-data'
import { type TestEnvironment, waitFor } from '@tradewatch/test-support'
import { type ReadModelStack, useReadModelStack } from './stack.js'

export interface DemoStack extends ReadModelStack {
  /** An instant after the first part of the demo data was recorded and before the rest (the EV surtax's revocation on). */
  recordedBeforeRevocation: string
}

const isRevocation = (input: DemoEventInput) => input.type === 'MeasureRevoked' && input.measureId === 'ca-cn-ev-surtax'

/**
 * The demo data recorded through ingest in two parts and projected, so knowledge time has a before and after the EV
 * surtax's revocation was recorded.
 */
export function useDemoStack(env: TestEnvironment): DemoStack {
  return useReadModelStack<DemoStack>(env, async (stack) => {
    const demo = readDemoEvents()
    const cut = demo.findIndex(isRevocation)
    await stack.record(demo.slice(0, cut))
    stack.recordedBeforeRevocation = new Date().toISOString()
    // Knowledge time is the recording instant: make sure the second part is recorded strictly later.
    await waitFor('the clock to move on', () => new Date().toISOString() > stack.recordedBeforeRevocation)
    await stack.projected(await stack.record(demo.slice(cut)))
  })
}
