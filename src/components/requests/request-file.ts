/**
 * The optional file of a badge request: small, and only PDF, PNG or JPEG as its first bytes
 * say (never what its name or the browser claims). It is never served inline, never as a
 * type a browser would run.
 */
export const REQUEST_FILE_MAX_BYTES = 2 * 1024 * 1024;

export type RequestFileType = 'application/pdf' | 'image/png' | 'image/jpeg';

const EXTENSIONS: Record<RequestFileType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** The type the bytes start with, or undefined (anything else is refused). */
export function sniffRequestFile(bytes: Uint8Array): RequestFileType | undefined {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  return undefined;
}

/**
 * A safe file name for Content-Disposition: no path, no control or quote characters, at most
 * 80 characters, ending with the extension of the sniffed type.
 */
export function safeFileName(original: string, type: RequestFileType): string {
  const base = (original.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what we remove
    .replace(/[\u0000-\u001f\u007f"\\;]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .trim()
    .slice(0, 70);
  return `${base || 'preuve'}.${EXTENSIONS[type]}`;
}

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
