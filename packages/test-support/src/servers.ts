import { PostgreSqlContainer } from '@testcontainers/postgresql'
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers'

export interface Servers {
  databaseUrl: string
  natsUrl: string
  stop(): Promise<void>
}

/**
 * The servers the tests talk to: those named by DATABASE_URL and NATS_URL when set (CI, this
 * machine), otherwise a Postgres and a NATS with JetStream started by testcontainers (a laptop
 * with Docker).
 */
export async function acquireServers(env: NodeJS.ProcessEnv = process.env): Promise<Servers> {
  const started: StartedTestContainer[] = []
  let databaseUrl = env.DATABASE_URL
  let natsUrl = env.NATS_URL
  if (!databaseUrl) {
    const pg = await new PostgreSqlContainer('postgres:15-alpine').withDatabase('test').withUsername('postgres').withPassword('postgres').start()
    started.push(pg)
    databaseUrl = pg.getConnectionUri()
  }
  if (!natsUrl) {
    const nats = await new GenericContainer('nats:2.10-alpine')
      .withCommand(['-js', '-m', '8222'])
      .withExposedPorts(4222, 8222)
      .withWaitStrategy(Wait.forHttp('/healthz?js-enabled-only=true', 8222))
      .start()
    started.push(nats)
    natsUrl = `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`
  }
  return {
    databaseUrl,
    natsUrl,
    async stop() {
      await Promise.all(started.map((c) => c.stop()))
    },
  }
}
