import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is a CommonJS bundle whose types declare an ES default export: Node hands the function
// itself to an ES import, the types describe `{ default }`. Accept both.
type Decode = (typeof jsQRModule)['default'];
const jsQR: Decode =
  typeof jsQRModule === 'function'
    ? (jsQRModule as unknown as Decode)
    : (jsQRModule as { default: Decode }).default;

/** The text of the QR code in a PNG image (a screenshot or a served file), or undefined. */
export function decodeQrPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
