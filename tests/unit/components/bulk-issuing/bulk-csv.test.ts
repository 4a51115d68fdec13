import { BULK_MAX_ROWS, parseBulkCsv } from '../../../../src/components/bulk-issuing/bulk-csv.js';
import { spreadsheetSafe } from '../../../../src/components/bulk-issuing/bulk-issuing.use-case.js';

describe('reading a CSV file of people', () => {
  it('When a spreadsheet saves it with semicolons, a BOM and French headers, then every row is read with its line', () => {
    const result = parseBulkCsv(
      '\ufeffCourriel;Preuves;Commentaire;Langue\r\nkarim@example.org;https://a.example/1 https://a.example/2;Atelier CAF;en\r\n\r\nsara@example.org;;;\r\n',
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          cells: {
            email: 'karim@example.org',
            preuves: 'https://a.example/1 https://a.example/2',
            description: '',
            commentaire: 'Atelier CAF',
            langue: 'en',
          },
        },
        {
          // Line 3 of the file is blank: sara is on line 4.
          line: 4,
          cells: {
            email: 'sara@example.org',
            preuves: '',
            description: '',
            commentaire: '',
            langue: '',
          },
        },
      ],
    });
  });

  it('When a cell holds a line break and blank lines come before a row, then the row keeps its line in the file', () => {
    const result = parseBulkCsv(
      'email;commentaire\n\nana@example.org;"Atelier du lundi\npuis du mardi"\n\n\nkarim@;\n',
    );
    expect(result.ok && result.rows.map((r) => [r.cells.email, r.line])).toEqual([
      ['ana@example.org', 3],
      ['karim@', 7],
    ]);
  });

  it('When the file has no email column, no data or too many rows, then the whole file is refused with why', () => {
    expect(parseBulkCsv('nom,prenom\nDupont,Karim\n')).toEqual({
      ok: false,
      messageKey: 'bulk.errors.noEmailColumn',
      params: { found: 'nom, prenom' },
    });
    expect(parseBulkCsv('email\n')).toEqual({ ok: false, messageKey: 'bulk.errors.empty' });
    expect(parseBulkCsv('')).toEqual({ ok: false, messageKey: 'bulk.errors.empty' });
    const big = [
      'email',
      ...Array.from({ length: BULK_MAX_ROWS + 1 }, (_, i) => `p${i}@example.org`),
    ];
    expect(parseBulkCsv(big.join('\n'))).toMatchObject({
      ok: false,
      messageKey: 'bulk.errors.tooManyRows',
      params: { count: BULK_MAX_ROWS + 1 },
    });
  });

  it('When a report cell starts like a formula, then it is quoted so a spreadsheet shows it as text', () => {
    expect(spreadsheetSafe('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(spreadsheetSafe('+33')).toBe("'+33");
    expect(spreadsheetSafe('@x')).toBe("'@x");
    expect(spreadsheetSafe('karim@example.org')).toBe('karim@example.org');
  });
});
