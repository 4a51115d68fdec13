/** The attestation's words, already translated (the controller knows the reader's language). */
export interface AttestationText {
  /** The PDF's title (document properties) and the page's heading. */
  title: string;
  badgeName: string;
  /** Short sentences, one per line (FALC): the skill, who, when, until when. */
  sentences: string[];
  /** "Numéro du badge : 7K3M-Q9XA". */
  idLine: string;
  /** "Pour vérifier ce badge, scannez le code ou ouvrez :" */
  checkLine: string;
  url: string;
  lang: string;
}

const MM = 72 / 25.4;
const MARGIN = 20 * MM;
const INK = '#1b1b1b';
const MUTED = '#4a4a4a';

/**
 * One A4 page in PDF, drawn with pdfkit (no browser on the server): heading, badge image, the
 * sentences, and the QR code that opens the award page with its address in full under it.
 * Standard PDF fonts (Helvetica) cover French; the layout leaves room so nothing spills onto
 * a second page.
 */
export async function renderAttestationPdf(
  text: AttestationText,
  images: { badgePng: Buffer; qrPng: Buffer },
): Promise<Buffer> {
  // Loaded on the first attestation: pdfkit and its fonts are the heaviest module of the app
  // to start, and most processes never print one.
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: text.lang,
    displayTitle: true,
    info: { Title: text.title, Subject: text.badgeName, Creator: 'Coop Badges' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });

  const width = pdf.page.width - 2 * MARGIN;
  const left = MARGIN;
  pdf.fillColor(MUTED).font('Helvetica').fontSize(12).text(text.title, left, MARGIN, { width });
  pdf.moveDown(0.5);
  pdf.fillColor(INK).font('Helvetica-Bold').fontSize(24).text(text.badgeName, { width });

  const imageTop = pdf.y + 16;
  const imageSize = 55 * MM;
  pdf.image(images.badgePng, left + (width - imageSize) / 2, imageTop, {
    width: imageSize,
    height: imageSize,
  });
  pdf.y = imageTop + imageSize + 20;

  pdf.font('Helvetica').fontSize(15).fillColor(INK);
  for (const sentence of text.sentences) {
    pdf.text(sentence, left, pdf.y, { width, lineGap: 3 });
    pdf.moveDown(0.6);
  }
  pdf.moveDown(0.4);
  pdf.fontSize(12).fillColor(MUTED).text(text.idLine, left, pdf.y, { width });

  // The QR code and the address at the foot of the page, always on this page.
  const qrSize = 40 * MM;
  const qrTop = pdf.page.height - MARGIN - qrSize - 14;
  pdf.image(images.qrPng, left, qrTop, { width: qrSize, height: qrSize });
  const textLeft = left + qrSize + 8 * MM;
  const textWidth = width - qrSize - 8 * MM;
  pdf
    .fillColor(INK)
    .fontSize(12)
    .text(text.checkLine, textLeft, qrTop + 8, { width: textWidth });
  pdf.moveDown(0.4);
  pdf.fillColor(INK).fontSize(10).text(text.url, textLeft, pdf.y, {
    width: textWidth,
    link: text.url,
    underline: true,
  });
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}
