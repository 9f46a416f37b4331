/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of SelectObject frame
 * payloads. Table-driven, byte at a time: frames are small, and the same code runs in browsers,
 * workers and Node (no `node:zlib`).
 */

// Built by a function marked pure (no top-level loop), so bundles that never hash drop it.
const TABLE = /* @__PURE__ */ buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * The CRC-32 of `data`, continuing from `previous` (the CRC of the bytes before it).
 *
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(data: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
