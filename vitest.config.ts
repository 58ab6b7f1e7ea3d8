import { defineConfig, mergeConfig } from 'vitest/config'
import { shared } from './vitest.shared.js'

const exclude = ['**/node_modules/**', '**/dist/**']
const globalSetup = ['./packages/test-support/src/global-setup.ts']
// The fault suite (minutes to tens of minutes, its own servers) runs only through `pnpm test:faults`.
const faults = process.env.TRADEWATCH_FAULTS === '1'

export default defineConfig({
  test: {
    projects: [
      mergeConfig(shared, {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'tests/*/src/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts', '**/*.e2e.test.ts', '**/*.faults.test.ts'],
          // The generated histories and property runs take 2-3 s quiet, and 9 s on a loaded CI machine.
          testTimeout: 30_000,
        },
      }),
      mergeConfig(shared, {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'services/*/src/**/*.int.test.ts'],
          exclude,
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      }),
      mergeConfig(shared, {
        test: {
          name: 'e2e',
          include: ['tests/e2e/src/**/*.e2e.test.ts'],
          exclude,
          globalSetup,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      }),
      ...(faults
        ? [
            mergeConfig(shared, {
              test: {
                name: 'faults',
                include: ['tests/faults/src/**/*.faults.test.ts'],
                exclude,
                testTimeout: 1_800_000,
                hookTimeout: 180_000,
                fileParallelism: false,
              },
            }),
          ]
        : []),
    ],
  },
})
