import PDFDocument from 'pdfkit';
import { DRAFT_NOTICE, reportFacts } from './export-facts.ts';
import type { ReportFacts } from './export-facts.ts';
import type { ExportContext } from './exports.ts';
import { reportFonts, textRuns, visualOrder } from './pdf-fonts.ts';
import type { LoadedFace } from './pdf-fonts.ts';

/**
 * The report as a PDF for the referring physician and the patient: the second opinion, the outside
 * report's key facts beside it, the concordance verdict, key images, the signature (or a DRAFT mark on
 * every page while unsigned), and the patient's name, identifiers and page number on every page.
 */

const MARGIN = { top: 100, bottom: 64, left: 56, right: 56 };
const GREY = '#555555';
const RULE = '#bbbbbb';
const VERDICT_COLOURS: Record<string, { ink: string; fill: string }> = {
  'Major discordance': { ink: '#8c1d18', fill: '#fbe4e2' },
  'Minor discordance': { ink: '#7a4f01', fill: '#fdf0d5' },
  Concordant: { ink: '#1e5e2a', fill: '#e3f3e5' },
};
const NEUTRAL_COLOURS = { ink: '#333333', fill: '#eeeeee' };

interface WriteOptions {
  size?: number;
  bold?: boolean;
  color?: string;
  x?: number;
  y?: number;
  width?: number;
  align?: 'left' | 'right' | 'center';
  lineBreak?: boolean;
}

/** Writes text in runs, each in the font that has its characters (see pdf-fonts.ts). */
class Typesetter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly faces: LoadedFace[];

  constructor(doc: PDFKit.PDFDocument, faces: LoadedFace[]) {
    this.doc = doc;
    this.faces = faces;
    for (const face of faces) {
      doc.registerFont(`${face.face}-regular`, face.regular);
      if (face.bold) {
        doc.registerFont(`${face.face}-bold`, face.bold);
      }
    }
  }

  private fontName(face: LoadedFace, bold: boolean): string {
    return `${face.face}-${bold && face.bold ? 'bold' : 'regular'}`;
  }

  /** Selects the Latin face, for measuring and for text known to be Latin. */
  latin(size: number, bold = false): PDFKit.PDFDocument {
    return this.doc.font(this.fontName(this.faces[0] as LoadedFace, bold)).fontSize(size);
  }

  /** The width of one line of `text` at `size`, in points. */
  measure(text: string, size: number, bold = false): number {
    return textRuns(text, this.faces).runs.reduce((sum, run) => sum + this.doc.font(this.fontName(run.face, bold)).fontSize(size).widthOfString(run.text), 0);
  }

  /** One paragraph per line of `text`; the first starts at x, y when given. */
  write(text: string, options: WriteOptions = {}): void {
    const { size = 10, bold = false, color = '#000000', width, align = 'left', lineBreak = true } = options;
    const doc = this.doc;
    doc.fillColor(color);
    const x = options.x ?? doc.page.margins.left;
    const paragraphs = text.split('\n');
    paragraphs.forEach((paragraph, index) => {
      const runs = visualOrder(textRuns(paragraph, this.faces).runs).map((run) => ({ font: this.fontName(run.face, bold), text: run.text }));
      if (runs.length === 0) {
        runs.push({ font: this.fontName(this.faces[0] as LoadedFace, bold), text: ' ' });
      }
      runs.forEach((run, runIndex) => {
        doc.font(run.font).fontSize(size);
        const textOptions = { width: width ?? doc.page.width - x - doc.page.margins.right, align, lineBreak, continued: runIndex < runs.length - 1 };
        if (runIndex === 0) {
          doc.text(run.text, x, index === 0 && options.y !== undefined ? options.y : doc.y, textOptions);
        } else {
          doc.text(run.text, textOptions);
        }
      });
    });
  }
}

function bottomOf(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > bottomOf(doc)) {
    doc.addPage();
  }
}

/** What a heading takes (the space above it, its line, the space below), and what it keeps free below it. */
const HEADING_HEIGHT = 32;
const HEADING_KEEP = 60;

/** The height of a signature's lines, with the heading above them when it has one. */
function signatureHeight(doc: PDFKit.PDFDocument, type: Typesetter, text: string, options: { size: number; heading: boolean }): number {
  type.latin(options.size, true);
  const lines = doc.heightOfString(text, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right });
  return options.heading ? Math.max(HEADING_KEEP, HEADING_HEIGHT + lines) : lines;
}

function heading(doc: PDFKit.PDFDocument, type: Typesetter, text: string): void {
  ensureSpace(doc, HEADING_KEEP);
  doc.moveDown(0.8);
  type.write(text, { size: 13, bold: true });
  doc.moveDown(0.3);
}

function verdictBox(doc: PDFKit.PDFDocument, type: Typesetter, facts: ReportFacts): void {
  const colours = VERDICT_COLOURS[facts.verdictLabel] ?? NEUTRAL_COLOURS;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const title = `Concordance with the outside report: ${facts.verdictLabel}${facts.verdictConfirmed ? '' : ' (proposed)'}`;
  const lines = [`Outside report: ${facts.outsideAssessment}`, `Second opinion: ${facts.secondOpinionAssessment}`];
  const titleHeight = type.latin(12, true).heightOfString(title, { width: width - 20 });
  type.latin(10);
  const textHeight = lines.reduce((sum, line) => sum + doc.heightOfString(line, { width: width - 20 }), 0);
  const height = 9 + titleHeight + 2 + textHeight + 10;
  ensureSpace(doc, height + 10);
  const top = doc.y + 6;
  doc.save().roundedRect(left, top, width, height, 4).fillAndStroke(colours.fill, colours.ink).restore();
  type.write(title, {
    x: left + 10,
    y: top + 9,
    width: width - 20,
    size: 12,
    bold: true,
    color: colours.ink,
  });
  type.write(lines.join('\n'), { x: left + 10, width: width - 20, size: 10, color: '#000000' });
  doc.y = top + height + 6;
  doc.x = left;
}

function comparisonTable(doc: PDFKit.PDFDocument, type: Typesetter, facts: ReportFacts): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const labelWidth = 110;
  const columnWidth = (width - labelWidth - 12) / 2;
  const columns = [left, left + labelWidth + 6, left + labelWidth + 12 + columnWidth];
  const row = (cells: [string, string, string], bold: boolean): void => {
    type.latin(9, bold);
    const estimate = Math.max(...cells.map((cell, index) => doc.heightOfString(cell, { width: index === 0 ? labelWidth : columnWidth })));
    ensureSpace(doc, estimate + 8);
    const top = doc.y;
    let bottom = top;
    cells.forEach((cell, index) => {
      type.write(cell, { x: columns[index], y: top, width: index === 0 ? labelWidth : columnWidth, size: 9, bold: bold || index === 0 });
      bottom = Math.max(bottom, doc.y);
    });
    doc
      .moveTo(left, bottom + 3)
      .lineTo(left + width, bottom + 3)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = bottom + 6;
  };
  row(['', 'Outside report', 'Second opinion'], true);
  for (const comparison of facts.comparison) {
    row([comparison.label, comparison.outside, comparison.secondOpinion], false);
  }
  doc.x = left;
}

/** Lines of the last block that go onto the signature's page with it: a signature never stands alone. */
const LINES_KEPT_WITH_SIGNATURE = 2;

/**
 * The narrative: "TITLE:" lines as subheadings, the rest as paragraphs. `keepWithNext` is the height of
 * what must follow on the same page (the signature): the last lines are moved to a new page together
 * with it when both would not fit on this one.
 */
function narrativeText(doc: PDFKit.PDFDocument, type: Typesetter, text: string, keepWithNext = 0): void {
  const lines = text.split('\n');
  const contentLines = lines.flatMap((line, index) => (line.trim() === '' ? [] : [index]));
  const firstKept = keepWithNext > 0 ? (contentLines[Math.max(0, contentLines.length - LINES_KEPT_WITH_SIGNATURE)] ?? lines.length) : lines.length;
  lines.forEach((line, index) => {
    if (index === firstKept) {
      type.latin(10);
      const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
      const tail = lines.slice(index).reduce((sum, kept) => sum + doc.heightOfString(kept.trim() === '' ? ' ' : kept, { width }), 0);
      // A little over the measure: subheadings' spacing is not in it.
      ensureSpace(doc, tail + keepWithNext + 8);
    }
    if (/^[A-Z][A-Z ,'()-]*:$/.test(line)) {
      ensureSpace(doc, 40);
      doc.moveDown(0.4);
      type.write(line.slice(0, -1), { size: 10, bold: true });
    } else if (line.trim() === '') {
      doc.moveDown(0.2);
    } else {
      type.write(line, { size: 10 });
    }
  });
}

/** A section: its heading kept with its first lines, its text kept with what must follow. */
function section(doc: PDFKit.PDFDocument, type: Typesetter, title: string, text: string, keepWithNext = 0): void {
  const short = text.split('\n').filter((line) => line.trim() !== '').length <= LINES_KEPT_WITH_SIGNATURE;
  if (keepWithNext > 0 && short) {
    // All of a short section goes with what must follow, its heading included: no heading left behind.
    type.latin(10);
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    ensureSpace(doc, HEADING_HEIGHT + doc.heightOfString(text, { width }) + keepWithNext + 8);
  }
  heading(doc, type, title);
  narrativeText(doc, type, text, keepWithNext);
}

function keyImages(doc: PDFKit.PDFDocument, type: Typesetter, context: ExportContext, facts: ReportFacts, keepWithNext = 0): void {
  if (context.keyImages.length === 0) {
    return;
  }
  const imageHeight = 200;
  // The heading goes with the first row of images (and the signature, when that row is the last).
  ensureSpace(doc, HEADING_HEIGHT + imageHeight + 40 + (context.keyImages.length <= 2 ? keepWithNext : 0));
  heading(doc, type, 'Key images');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const cell = (width - 16) / 2;
  let top = doc.y;
  context.keyImages.forEach(({ png }, index) => {
    const column = index % 2;
    if (column === 0) {
      // The last row of images goes onto the signature's page with it.
      const lastRow = index >= context.keyImages.length - 2;
      ensureSpace(doc, imageHeight + 40 + (lastRow ? keepWithNext : 0));
      top = doc.y;
    }
    const x = left + column * (cell + 16);
    if (png) {
      try {
        doc.image(png, x, top, { fit: [cell, imageHeight], align: 'center', valign: 'center' });
      } catch {
        type.write('(the image could not be read)', { x, y: top + imageHeight / 2, width: cell, size: 9, color: GREY, align: 'center' });
      }
    } else {
      type.write('(image not available)', { x, y: top + imageHeight / 2, width: cell, size: 9, color: GREY, align: 'center' });
    }
    doc.rect(x, top, cell, imageHeight).lineWidth(0.5).strokeColor(RULE).stroke();
    type.write(facts.keyImageCaptions[index] ?? '', { x, y: top + imageHeight + 4, width: cell, size: 9, color: GREY });
    if (column === 1 || index === context.keyImages.length - 1) {
      doc.y = top + imageHeight + 34;
    }
  });
  doc.x = left;
}

/** Every page: the patient's name and identifiers on top, the page number below, DRAFT across when unsigned. */
function decoratePages(doc: PDFKit.PDFDocument, type: Typesetter, facts: ReportFacts): void {
  const range = doc.bufferedPageRange();
  // The header has room for two lines of name: a long one (three groups of ideographs) is set smaller.
  let nameSize = 10;
  const headerWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  while (nameSize > 6 && type.measure(`Patient: ${facts.patientName}`, nameSize, true) > headerWidth * 1.8) {
    nameSize -= 0.5;
  }
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // Writing in the margins must not start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    type.write('Concord - second-opinion report', { x: left, y: 28, width, size: 8, color: GREY });
    type.write(`Patient: ${facts.patientName}`, { x: left, y: 42, width, size: nameSize, bold: true });
    type.write(facts.patientIdentifiers, { x: left, width, size: 9 });
    doc
      .moveTo(left, 88)
      .lineTo(left + width, 88)
      .lineWidth(0.75)
      .strokeColor(RULE)
      .stroke();
    const footerY = doc.page.height - 44;
    type.write(facts.signed ? `Generated ${facts.generatedAt}` : `${DRAFT_NOTICE} - generated ${facts.generatedAt}`, { x: left, y: footerY, width: width / 2, size: 8, color: GREY });
    type.write(`Page ${index - range.start + 1} of ${range.count}`, { x: left + width / 2, y: footerY, width: width / 2, size: 8, color: GREY, align: 'right' });
    if (!facts.signed) {
      doc.save();
      doc.rotate(-35, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.opacity(0.15);
      type.write(DRAFT_NOTICE, { x: 0, y: doc.page.height / 2 - 30, width: doc.page.width, size: 54, bold: true, color: '#c62828', align: 'center', lineBreak: false });
      doc.restore();
    }
    doc.page.margins.bottom = bottomMargin;
  }
}

export async function buildReportPdf(context: ExportContext): Promise<Buffer> {
  const facts = reportFacts(context);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'en',
    info: {
      Title: `Second-opinion report: ${facts.patientName}`,
      Author: context.report.signature?.name ?? 'Concord',
      Subject: `Concordance verdict: ${facts.verdictLabel}`,
      Creator: 'Concord',
      CreationDate: context.generatedAt,
      ModDate: context.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const type = new Typesetter(doc, reportFonts());

  type.write(`Second-opinion report${facts.versionLabel ? ` (${facts.versionLabel})` : ''}`, { size: 18, bold: true });
  doc.moveDown(0.3);
  type.write(facts.study.map((row) => `${row.label}: ${row.value}`).join('\n'), { size: 9, color: GREY });
  doc.moveDown(0.5);
  verdictBox(doc, type, facts);

  heading(doc, type, 'Outside report and second opinion');
  comparisonTable(doc, type, facts);

  // What comes last before the signature is written with the signature's height kept after it.
  const signatureText = facts.signatureLines.join('\n');
  const keep = signatureHeight(doc, type, signatureText, { size: 10, heading: true });
  const blocks: ((keepWithNext: number) => void)[] = [
    (next) => section(doc, type, 'Second opinion', facts.secondOpinionText, next),
    (next) => section(doc, type, facts.outsideSection.title, facts.outsideSection.text, next),
  ];
  if (facts.outsideFreeText) {
    blocks.push((next) => section(doc, type, 'Outside report text as recorded', facts.outsideFreeText, next));
  }
  blocks.push((next) => section(doc, type, facts.concordanceSection.title, facts.concordanceSection.text, next));
  const communication = facts.communication;
  if (communication) {
    blocks.push((next) => section(doc, type, 'Communication of the result', communication, next));
  }
  if (context.keyImages.length > 0) {
    blocks.push((next) => keyImages(doc, type, context, facts, next));
  }
  blocks.forEach((block, index) => block(index === blocks.length - 1 ? keep : 0));

  heading(doc, type, 'Signature');
  type.write(signatureText, { size: 10, bold: !facts.signed, color: facts.signed ? '#000000' : '#c62828' });
  for (const addendum of facts.addenda) {
    section(doc, type, 'Addendum', addendum.text, signatureHeight(doc, type, addendum.signature, { size: 9, heading: false }));
    type.write(addendum.signature, { size: 9, color: GREY });
  }

  decoratePages(doc, type, facts);
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
