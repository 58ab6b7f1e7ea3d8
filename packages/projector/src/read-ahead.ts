/**
 * Batches read once, in order, for several readers going through them at their own pace: batch i + 1 is read
 * from where batch i ends, as soon as a reader reaches batch i (so the next read overlaps the applies), and a
 * reader waits once it is `ahead` batches past the slowest one. Batches every reader is past are let go.
 */
export class ReadAhead<T extends { position: number }> {
  readonly #batches = new Map<number, Promise<T[]>>()
  readonly #progress: number[]
  #waiters: (() => void)[] = []

  constructor(
    readers: number,
    private readonly read: (after: number) => Promise<T[]>,
    private readonly from: number,
    private readonly ahead: number,
  ) {
    this.#progress = new Array<number>(readers).fill(0)
  }

  /** Batch `index` (empty: the end); resolves once that is at most `ahead` batches past the slowest reader. */
  async batch(index: number): Promise<T[]> {
    while (index - Math.min(...this.#progress) > this.ahead) await new Promise<void>((resolve) => this.#waiters.push(resolve))
    const batch = this.#get(index)
    // Read ahead: when an apply fails first, nothing awaits this read, and its failure must not end the process as unhandled.
    batch.then(
      (rows) => {
        if (rows.length > 0) this.#get(index + 1).catch(() => undefined)
      },
      () => undefined,
    )
    return batch
  }

  /** `reader` is done with batch `index` (or has stopped: `Infinity`). */
  done(reader: number, index: number): void {
    this.#progress[reader] = index + 1
    const slowest = Math.min(...this.#progress)
    // The next batch's read starts from the end of this one: keep it until that read is under way.
    for (const key of this.#batches.keys()) if (key < slowest && this.#batches.has(key + 1)) this.#batches.delete(key)
    for (const resolve of this.#waiters.splice(0)) resolve()
  }

  #get(index: number): Promise<T[]> {
    let batch = this.#batches.get(index)
    if (!batch) {
      const previous = index === 0 ? Promise.resolve(undefined) : this.#get(index - 1)
      batch = previous.then((rows) => {
        if (rows && rows.length === 0) return []
        const last = rows?.[rows.length - 1]?.position ?? this.from
        return this.read(last)
      })
      this.#batches.set(index, batch)
    }
    return batch
  }
}
