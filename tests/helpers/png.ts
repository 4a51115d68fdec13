/** Reads a PNG's signature and IHDR chunk, to check rendered badge images without a decoder. */
export function readPngHeader(png: Buffer): {
  signatureOk: boolean;
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
} {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const signatureOk = png.subarray(0, 8).equals(signature);
  if (!signatureOk || png.length < 33 || png.toString('latin1', 12, 16) !== 'IHDR') {
    return { signatureOk, width: 0, height: 0, bitDepth: 0, colorType: 0 };
  }
  return {
    signatureOk,
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colorType: png.readUInt8(25),
  };
}
