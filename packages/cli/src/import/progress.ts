/** A one-line progress bar on a terminal: lines done / total (when known) and the rate; silent elsewhere. */
export class Progress {
  private readonly started = Date.now()
  private drawnAt = 0

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number | undefined,
    private readonly unit: string,
  ) {}

  update(done: number): void {
    if (!this.stream.isTTY) return
    const now = Date.now()
    if (now - this.drawnAt < 100) return
    this.drawnAt = now
    this.stream.write(`\r${renderProgress(done, this.total, this.unit, (now - this.started) / 1000, this.stream.columns ?? 80)}`)
  }

  done(): void {
    if (this.stream.isTTY && this.drawnAt > 0) this.stream.write('\r\x1b[K')
  }
}

const count = (n: number) => n.toLocaleString('en')

/** e.g. "[#######.............] 35,000 / 50,000 lines  7,000/s", shortened to fit the terminal. */
export function renderProgress(done: number, total: number | undefined, unit: string, seconds: number, columns: number): string {
  const rate = `${count(seconds > 0 ? Math.round(done / seconds) : 0)}/s`
  const counts = total ? `${count(done)} / ${count(total)} ${unit}` : `${count(done)} ${unit}`
  const text = `${counts}  ${rate}`
  const width = Math.min(30, columns - text.length - 4)
  if (!total || width < 5) return text.slice(0, columns - 1)
  const filled = Math.min(width, Math.round((done / total) * width))
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`
}
