import zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  return table;
}

/** CRC-32 (IEEE, as zlib) computed in JavaScript; used where `zlib.crc32` is missing (Node < 20.15). */
export function crc32Fallback(data: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (const byte of data) crc = (t[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 (IEEE) of the UTF-8 bytes of `text`: `zlib.crc32` when Node has it, otherwise a table. */
export function crc32(text: string): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(text) >>> 0;
  return crc32Fallback(Buffer.from(text, 'utf8'));
}
