// The job summary as plain text, for the demo: the HTML the action writes (headings, paragraphs,
// tables, lists, code) laid out as a terminal shows it. Not a general HTML renderer.
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

function inline(html) {
  return html
    .replace(/<code>(.*?)<\/code>/g, '`$1`')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity])
}

function table(html) {
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) => inline(cell[1]))
  )
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [
    line(rows[0]),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.slice(1).map(line)
  ].join('\n')
}

export function summaryText(html) {
  const out = []
  for (const block of html.match(
    /<h[23]>.*?<\/h[23]>|<p>.*?<\/p>|<table>.*?<\/table>|<ul>.*?<\/ul>/gs
  ) ?? []) {
    if (block.startsWith('<h2>')) out.push(`## ${inline(block)}`)
    else if (block.startsWith('<h3>')) out.push(`\n### ${inline(block)}`)
    else if (block.startsWith('<p>')) out.push(inline(block))
    else if (block.startsWith('<table>')) out.push(table(block))
    else
      out.push([...block.matchAll(/<li>(.*?)<\/li>/g)].map((li) => `• ${inline(li[1])}`).join('\n'))
  }
  return out.join('\n')
}
