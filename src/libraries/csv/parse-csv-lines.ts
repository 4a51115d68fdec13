import { parse, type Options } from 'csv-parse/sync';

export interface CsvRecord {
  cells: string[];
  /**
   * The line of the file where the record starts (the first line is 1), counting blank lines
   * and the line breaks inside quoted cells, as a text editor shows it.
   */
  line: number;
}

/**
 * Parses a CSV and gives each record the line it starts on, from csv-parse's own line count:
 * numbering records (`index + 2`) is wrong as soon as the file has a blank line or a cell
 * with a line break. Line endings are made `\n` first: csv-parse counts a `\r\n` inside a
 * quoted cell as two lines. Throws what csv-parse throws.
 */
export function parseCsvLines(
  text: string,
  options: Omit<Options, 'columns' | 'info' | 'raw' | 'objname' | 'on_record'>,
): CsvRecord[] {
  const records = parse(text.replace(/\r\n?/g, '\n'), {
    ...options,
    info: true,
    raw: true,
  }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  return records.map(({ record, info, raw }) => {
    // `info.lines` is the line where the record ends; `raw` is its text, preceded by the
    // blank (or blank-looking) lines skipped before it and followed by its line break.
    const own = raw.replace(/^(?:[ \t]*\n)+/, '').replace(/\n$/, '');
    const inside = own.split('\n').length - 1;
    return { cells: record, line: info.lines - inside };
  });
}
