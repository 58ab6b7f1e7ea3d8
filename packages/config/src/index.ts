export { type ApiKeyEntry, apiKeysEnv, type Scope, scopes } from './api-keys.js'
export { booleanEnv, databaseEnv, httpEnv, logEnv, natsEnv, port } from './fragments.js'
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config.js'
