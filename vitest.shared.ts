import { defineConfig } from 'vitest/config'

// Tests run from TypeScript sources via the workspace packages' `@tradewatch/source` export
// condition; processes started by e2e tests run the built `dist`.
const conditions = ['@tradewatch/source', 'module', 'node', 'development|production']

export const shared = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@tradewatch/source'] } },
})
