export type Cell = string | number;

function format(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (Number.isInteger(cell)) return cell.toLocaleString('en-US');
  return cell.toLocaleString('en-US', { maximumFractionDigits: cell < 10 ? 2 : 1 });
}

/** A Markdown table, columns padded so it also reads well in a terminal. */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const text = [headers, ...rows.map((row) => row.map(format))];
  const widths = headers.map((_, col) =>
    Math.max(3, ...text.map((row) => (row[col] ?? '').length)),
  );
  const line = (row: string[]) =>
    `| ${widths.map((w, col) => (row[col] ?? '').padEnd(w)).join(' | ')} |`;
  // Prettier's style of rule line, so a report pasted into Markdown needs no reformatting.
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  const [head, ...body] = text;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}
