import { parseCsvLines } from '../../../../src/libraries/csv/parse-csv-lines.js';

const options = {
  bom: true,
  delimiter: [';', ','],
  skip_empty_lines: true,
  relax_column_count: true,
  trim: true,
};

describe('parseCsvLines', () => {
  // 1 header, 2 blank, 3–4 a cell with a line break, 5–6 blank, 7 a row, 8–10 a cell with a
  // blank line inside, 11 the last row (no final line break).
  const lf = 'email;note\n\na@x.org;"lundi\nmardi"\n\n\nb@x.org;x\nc@x.org;"a\n\nb"\nd@x.org;y';

  it.each([
    ['LF', lf],
    ['CRLF (spreadsheets on Windows)', lf.replace(/\n/g, '\r\n') + '\r\n'],
    ['CR (old Mac)', lf.replace(/\n/g, '\r')],
    ['LF with a BOM', `\uFEFF${lf}\n`],
  ])(
    'When a file (%s) has blank lines and multi-line cells, then each record has the line it starts on',
    (_name, text) => {
      expect(parseCsvLines(text, options).map((r) => [r.cells[0], r.line])).toEqual([
        ['email', 1],
        ['a@x.org', 3],
        ['b@x.org', 7],
        ['c@x.org', 8],
        ['d@x.org', 11],
      ]);
    },
  );

  it('When lines hold only spaces before a record, then they are counted too', () => {
    const records = parseCsvLines('email\n  \n\t\na@x.org\n', options);
    expect(records.map((r) => r.line)).toEqual([1, 4]);
  });

  it('When a multi-line cell keeps its line break, then the cell reads "\\n" whatever the file used', () => {
    const [, row] = parseCsvLines('email;note\r\na@x.org;"un\r\ndeux"\r\n', options);
    expect(row!.cells).toEqual(['a@x.org', 'un\ndeux']);
  });
});
