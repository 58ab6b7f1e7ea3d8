import { afterAll, beforeAll } from 'vitest'
import { type Stack, startStack } from './stack.js'

/** Starts a stack of this file's own before its tests and destroys it after; call at the top level. */
export function useStack(logName: string): () => Stack {
  let stack: Stack | undefined
  beforeAll(async () => {
    stack = await startStack(logName)
  }, 180_000)
  afterAll(async () => {
    await stack?.destroy()
  })
  return () => {
    if (!stack) throw new Error('the stack is read before beforeAll started it')
    return stack
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
