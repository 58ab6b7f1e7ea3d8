import { useTestEnvironment } from '@tradewatch/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { analyst, subscriber, testApp } from '../testing/test-app.js'

const env = useTestEnvironment()
const apps: Awaited<ReturnType<typeof testApp>>[] = []
const make = async (overrides: Parameters<typeof testApp>[1] = {}) => {
  const made = await testApp(env.db, overrides)
  apps.push(made)
  return made
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()))
})

describe('API keys and rate limits', () => {
  it('refuses a query without a key (401) and with a key lacking the read scope (403), as problems', async () => {
    const { app } = await make()
    const none = await app.inject({ method: 'GET', url: '/v1/countries' })
    expect(none.statusCode).toBe(401)
    expect(none.headers['content-type']).toContain('application/problem+json')
    const wrong = await app.inject({ method: 'GET', url: '/v1/countries', headers: { 'x-api-key': subscriber.key } })
    expect(wrong.json()).toMatchObject({ status: 403, code: 'SCOPE_MISSING' })
  })

  it('given 3 a second with bursts of 3, the 4th request at once is 429 with Retry-After; another key is unaffected', async () => {
    const { get } = await make({ rateLimit: { perSecond: 3, burst: 3 } })
    for (let i = 0; i < 3; i++) expect((await get('/v1/countries')).status).toBe(200)
    const limited = await get('/v1/countries')
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBe('1')
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' })
    expect((await get('/v1/countries', { 'x-api-key': subscriber.key })).status).toBe(403)
  })
})

describe('request ids, CORS, not found', () => {
  it('echoes x-request-id, or makes one', async () => {
    const { get } = await make()
    expect((await get('/v1/countries', { 'x-request-id': 'trace-42' })).headers['x-request-id']).toBe('trace-42')
    expect((await get('/v1/countries')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers CORS preflights only for configured origins', async () => {
    const { app } = await make({ corsOrigins: ['https://analyst.example'] })
    const preflight = (origin: string) => app.inject({ method: 'OPTIONS', url: '/v1/tariffs', headers: { origin, 'access-control-request-method': 'GET' } })
    expect((await preflight('https://analyst.example')).headers['access-control-allow-origin']).toBe('https://analyst.example')
    expect((await preflight('https://elsewhere.example')).headers['access-control-allow-origin']).toBeUndefined()
    const { app: closed } = await make()
    const get = await closed.inject({ method: 'GET', url: '/v1/countries', headers: { origin: 'https://analyst.example', 'x-api-key': analyst.key } })
    expect(get.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers an unknown route with a 404 problem', async () => {
    const { get } = await make()
    expect(await get('/v1/nothing')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } })
  })

  it('answers a path value over 100 characters with a 414 problem, not fastify’s own body', async () => {
    const { get } = await make()
    const long = await get(`/v1/measures/${'m'.repeat(101)}`, { 'x-request-id': 'trace-414' })
    expect(long.status).toBe(414)
    expect(long.headers['content-type']).toContain('application/problem+json')
    expect(long.headers['x-request-id']).toBe('trace-414')
    expect(long.body).toMatchObject({ status: 414, code: 'URI_TOO_LONG', requestId: 'trace-414' })
  })
})
