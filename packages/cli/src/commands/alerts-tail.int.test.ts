import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { subjects } from '@tradewatch/domain'
import { ensureStreams } from '@tradewatch/event-store'
import { repoRoot, testPrefix, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli.js'

const env = useTestEnvironment()
let published = 0

beforeAll(() => ensureStreams(env.nc, env.prefix))

/** As the alert service publishes them: JSON on `<prefix>.alerts.<subscription>`, msgID the alert id. */
async function publishAlert(subscription: string, title: string) {
  published += 1
  const payload = {
    alertId: `a-${published}`,
    subscriptionId: subscription,
    title,
    event: { type: 'MeasureAnnounced', source: { url: 'https://example.com/src' } },
  }
  await env.nc.jetstream().publish(subjects.alert(env.prefix, subscription), JSON.stringify(payload), { msgID: `${env.prefix}-${published}` })
}

/** The built CLI as a process whose output lines are read as they come. */
function startTail(args: string[], prefix = env.prefix) {
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'packages/cli/dist/main.js'), 'alerts', 'tail', ...args], {
    env: { PATH: process.env.PATH ?? '', NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    lines.push(...parts)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
  return { child, lines, exited, stderr: () => stderr }
}

describe('tradewatch alerts tail', () => {
  it('--from-start prints what the stream holds, then follows; one readable line per alert; Ctrl-C exits 0', async () => {
    await publishAlert('ca-watch', 'Canada lowers its surtax on electric vehicles from China from 100% to 6.1%')
    const tail = startTail(['--from-start'])
    await waitFor('the stored alert', () => tail.lines.length === 1, 15_000)
    expect(tail.lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}ca-watch {2}Canada lowers its surtax on electric vehicles from China from 100% to 6\.1% {2}\[MeasureAnnounced\] {2}https:\/\/example\.com\/src$/,
    )
    await publishAlert('us-watch', 'The United States raises its tariff on steel from Canada')
    await waitFor('the new alert', () => tail.lines.length === 2, 10_000)
    expect(tail.lines[1]).toContain('us-watch  The United States raises its tariff on steel from Canada')
    tail.child.kill('SIGINT')
    expect(await tail.exited).toBe(0)
    expect(tail.stderr()).toContain('stopped after 2 alerts')
  })

  it('--subscription follows one subscription only; without --from-start only new alerts; --json prints the alert', async () => {
    await publishAlert('ca-watch', 'old, not shown')
    const tail = startTail(['--subscription', 'ca-watch', '--json'])
    // The consumer is ready once a first new alert arrives; publish until one does.
    await waitFor(
      'the tail to follow',
      async () => {
        await publishAlert('ca-watch', 'new')
        return tail.lines.length > 0
      },
      15_000,
      300,
    )
    await publishAlert('us-watch', 'other subscription, not shown')
    await publishAlert('ca-watch', 'last')
    await waitFor('the last alert', () => tail.lines.some((line) => line.includes('"last"')), 10_000)
    tail.child.kill('SIGINT')
    expect(await tail.exited).toBe(0)
    const alerts = tail.lines.map((line) => JSON.parse(line) as { subscriptionId: string; title: string })
    expect(new Set(alerts.map((a) => a.subscriptionId))).toEqual(new Set(['ca-watch']))
    expect(alerts.map((a) => a.title)).not.toContain('old, not shown')
    expect(alerts.at(-1)?.title).toBe('last')
  })

  it.each([
    [['--subscription', 'Not An Id'], '--subscription must be a subscription id'],
    [['--since', 'x'], "Unknown option '--since'"],
    [['--subscription'], "Option '--subscription <value>' argument missing"],
  ])('refuses %j with exit code 2 and says why', async (args, message) => {
    const run = await runCli(['alerts', 'tail', ...args], { NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(message)
  })

  it('refuses "alerts" without "tail" with exit code 2', async () => {
    const run = await runCli(['alerts', 'follow'], { NATS_URL: env.natsUrl })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('usage: alerts tail')
  })

  it('says clearly when there is no alerts stream, exit code 1', async () => {
    const run = await runCli(['alerts', 'tail'], { NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: testPrefix() })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/no alerts stream T[0-9A-F]+_ALERTS on .*start the alert service/i)
  })
})
