export { type TestApiKey, testApiKey } from './api-keys.js'
export { adminQuery, cloneDatabase, databaseName, dropDatabase, processToken, uniqueName, withDatabase } from './databases.js'
export { deleteStreams, type TestEnvironment, testPrefix, useTestEnvironment } from './environment.js'
export { demoEnvelopes } from './histories/demo-envelopes.js'
export {
  arbitraryHistory,
  type GeneratedHistory,
  generateHistory,
  type HistoryEvent,
  type HistoryOptions,
  toEnvelope,
  toIngestInput,
  toNewEvent,
} from './histories/generate-history.js'
export { type OracleEvent, type OracleTariff, type TariffAnswer, type TariffQuestion, tariffsFromEvents } from './histories/tariff-oracle.js'
export { tariffQuestions } from './histories/tariff-questions.js'
export { announcement, type PostResult, postEvents } from './ingest-client.js'
export { type StoredMessage, streamLastSequence, streamMessages } from './jetstream.js'
export { type NatsServer, startNatsServer } from './nats-server.js'
export { type PostgresCluster, startPostgresCluster } from './postgres-cluster.js'
export { freePort, repoRoot, type ServiceProcess, startService, startServices } from './processes.js'
export { compareTables, type TableDifference, type TableRows, tableRows } from './read-models.js'
export { type ProbeResponse, type ScopeMatrix, scopeKeys, scopeMatrix } from './scope-matrix.js'
export { acquireServers, type Servers } from './servers.js'
export { waitFor } from './wait.js'
export { splitIntoLanes } from './workload/lanes.js'
export { aggregateOf, type WorkloadInput, workload } from './workload/workload.js'
