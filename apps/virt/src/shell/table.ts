/**
 * virsh's table layout: each cell preceded by one space, columns padded
 * to the widest cell plus two spaces, and under the header a dashed line
 * as long as the sum of (column width + 3). Control characters are shown
 * as \xNN so they cannot break the layout. With `header` false (virsh -q)
 * only the rows are printed.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], withHeader = true): string {
  const all = withHeader ? [header, ...rows] : [...rows];
  const encoded = all.map((row) => row.map(encodeCell));
  const widths = header.map((_, col) => Math.max(0, ...encoded.map((row) => row[col]!.width)));

  const line = (row: readonly Cell[]): string => {
    let out = '';
    row.forEach((cell, col) => {
      out += ' ' + cell.text;
      if (col < row.length - 1) out += ' '.repeat(widths[col]! - cell.width + 2);
    });
    return out + '\n';
  };

  let out = '';
  if (withHeader) {
    out += line(encoded[0]!);
    out += '-'.repeat(widths.reduce((sum, w) => sum + w + 3, 0)) + '\n';
  }
  for (const row of withHeader ? encoded.slice(1) : encoded) out += line(row);
  return out;
}

interface Cell {
  text: string;
  width: number;
}

function encodeCell(text: string): Cell {
  let out = '';
  let width = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (cp < 0x20 || cp === 0x7f || (ch === '\\' && text[i] === 'x')) {
      out += '\\x' + cp.toString(16).padStart(2, '0');
      width += 4;
    } else {
      out += ch;
      width += isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
    }
  }
  return { text: out, width };
}

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f);
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
