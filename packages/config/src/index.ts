export { booleanEnv, databaseEnv, httpEnv, logEnv, natsEnv, port } from './fragments.js'
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config.js'
