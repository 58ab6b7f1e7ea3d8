export { adminQuery, cloneDatabase, databaseName, dropDatabase, uniqueName, withDatabase } from './databases.js'
export { deleteStreams, type TestEnvironment, testPrefix, useTestEnvironment } from './environment.js'
export { acquireServers, type Servers } from './servers.js'
export { waitFor } from './wait.js'
