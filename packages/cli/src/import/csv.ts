/** One CSV record with the file line it starts on (1-based), and what is wrong with it if it breaks RFC 4180. */
export interface CsvRecord {
  line: number
  fields: string[]
  error?: string
}

/**
 * RFC 4180 records from a stream of text chunks, one record in memory at a time: fields separated by commas, records by
 * CRLF or LF; a quoted field may hold commas, line breaks and doubled quotes (""). Blank lines are skipped. A stray quote
 * is kept as text and the record marked with an error, so one bad record never hides the ones after it.
 */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: string[] = []
  let field = ''
  let quoted = false // inside a quoted field
  let wasQuoted = false // the current field was quoted (only a separator may follow its closing quote)
  let pendingQuote = false // a quote inside a quoted field: closing, or the first of a doubled pair
  let pendingCr = false
  let line = 1
  let start = 1
  let error: string | undefined
  const endField = () => {
    fields.push(field)
    field = ''
    wasQuoted = false
  }
  const endRecord = (): CsvRecord | undefined => {
    endField()
    const record = fields.length === 1 && fields[0] === '' && !error ? undefined : { line: start, fields, ...(error ? { error } : {}) }
    fields = []
    error = undefined
    return record
  }
  for await (const chunk of chunks) {
    for (const char of chunk) {
      if (pendingCr) {
        pendingCr = false
        if (char === '\n') continue
      }
      if (quoted) {
        if (pendingQuote) {
          pendingQuote = false
          if (char === '"') {
            field += '"'
            continue
          }
          quoted = false
        } else {
          if (char === '"') pendingQuote = true
          else {
            if (char === '\n') line++
            field += char
          }
          continue
        }
      }
      if (char === ',') endField()
      else if (char === '\n' || char === '\r') {
        pendingCr = char === '\r'
        const record = endRecord()
        if (record) yield record
        line++
        start = line
      } else if (char === '"' && field === '' && !wasQuoted) {
        quoted = true
        wasQuoted = true
      } else {
        if (wasQuoted) error ??= `unexpected ${JSON.stringify(char)} after a closing quote`
        else if (char === '"') error ??= 'a quote inside an unquoted field; quote the field and double the quote'
        field += char
      }
    }
  }
  if (quoted && !pendingQuote) error ??= 'a quoted field never closes'
  const record = endRecord()
  if (record) yield record
}
