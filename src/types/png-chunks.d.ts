// Type declarations for the untyped PNG chunk packages used by src/core/baking.
declare module 'png-chunks-extract' {
  /** Splits a PNG into its chunks (checks the signature and every CRC; throws Error otherwise). */
  export default function extractChunks(data: Uint8Array): { name: string; data: Uint8Array }[];
}

declare module 'png-chunks-encode' {
  /** Joins chunks into a PNG, computing lengths and CRCs. */
  export default function encodeChunks(
    chunks: readonly { name: string; data: Uint8Array }[],
  ): Uint8Array;
}
