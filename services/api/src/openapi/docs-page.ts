const html = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

type Json = Record<string, any>

const schemaText = (schema: unknown) => `<details><summary>schema</summary><pre>${html(JSON.stringify(schema, null, 2))}</pre></details>`

function operationHtml(path: string, method: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[]
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${html(p.name)}</code></td><td>${html(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${html(p.description ?? '')}</td><td><code>${html(JSON.stringify(p.schema))}</code></td></tr>`,
    )
    .join('')
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
    .map(([status, r]) => {
      const content = r.content ? (Object.values(r.content)[0] as Json | undefined) : undefined
      const name = r.$ref ? String(r.$ref).split('/').pop() : ''
      return `<li><b>${html(status)}</b> ${html(r.description ?? name)}${content?.schema ? schemaText(content.schema) : ''}</li>`
    })
    .join('')
  return `<section id="${html(op.operationId)}">
<h3><span class="m">${html(method.toUpperCase())}</span> <code>${html(path)}</code></h3>
<p>${html(op.summary)}${op['x-scope'] ? ` <span class="scope">scope: ${html(op['x-scope'])}</span>` : ''}</p>
${op.description ? `<p>${html(op.description)}</p>` : ''}
${rows ? `<table><tr><th>name</th><th>in</th><th>required</th><th>meaning</th><th>schema</th></tr>${rows}</table>` : ''}
<ul>${responses}</ul>
</section>`
}

/** A self-contained HTML page (no scripts, no CDN) listing every operation of an OpenAPI document. */
export function docsPage(document: Json): string {
  const sections: string[] = []
  const index: string[] = []
  for (const [path, methods] of Object.entries((document.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(methods)) {
      sections.push(operationHtml(path, method, op))
      index.push(`<li><a href="#${html(op.operationId)}">${html(method.toUpperCase())} ${html(path)}</a></li>`)
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(document.info?.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.5rem;overflow:auto}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #ccc;padding-top:.5rem}.m{background:#1f6feb;color:#fff;padding:0 .4rem;border-radius:3px}
.scope{background:#eee;padding:0 .4rem;border-radius:3px;font-size:13px}
</style></head><body>
<h1>${html(document.info?.title)} <small>${html(document.info?.version)}</small></h1>
<p>${html(document.info?.description)} Machine-readable: <a href="/openapi.json">/openapi.json</a>.
Send your key as <code>x-api-key</code>; errors are RFC 9457 problem documents.</p>
<ul>${index.join('')}</ul>
${sections.join('\n')}
</body></html>`
}
