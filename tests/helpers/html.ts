/** The HTML with character references decoded, so tests can look for sentences as users read them. */
export function decoded(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

/**
 * The ways French goes wrong when a sentence is built by hand: a plural hedged with "(s)", or a
 * preposition glued to an article ("de le document") because a fragment was dropped into a
 * sentence. French contracts them (du, au, des, aux), so none may appear in any page or message.
 */
// \b is ASCII-only even with the u flag ("à" is no word character to it): letters by class.
export const HAND_BUILT_FRENCH = /\(s\)|(?<![\p{L}\p{N}_])(?:de|à) (?:le|les)(?![\p{L}\p{N}_])/giu;

/**
 * The text a person reads on a page: no tags, scripts or styles; entities decoded; spaces folded.
 * With `blocks`, table cells, list items, paragraphs… end with a line break, so that words of
 * two cells ("Délivré à" | "Le") are not read as one sentence.
 */
export function visibleText(html: string, options: { blocks?: boolean } = {}): string {
  const text = decoded(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(
        /<\/?(?:p|div|li|ul|ol|dl|dt|dd|tr|td|th|h[1-6]|br|section|header|footer|nav|main|form|label|legend|fieldset|option|button|table|caption|summary|details)\b[^>]*>/gi,
        options.blocks ? '\n' : ' ',
      )
      .replace(/<[^>]+>/g, ' '),
  );
  return options.blocks
    ? text
        .replace(/[^\S\n]+/g, ' ')
        .replace(/ *\n[\s]*/g, '\n')
        .trim()
    : text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** Every hand-built bit of French in a text, with a little context around it. */
export function handBuiltFrench(text: string): string[] {
  return [...text.matchAll(HAND_BUILT_FRENCH)].map((m) =>
    text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20),
  );
}
