/**
 * Gathers a body's chunks into one Uint8Array. With an announced length the chunks are copied
 * straight into one buffer of that size (no second copy at the end); if more arrives than announced,
 * it falls back to a chunk list. Used by `bytes()` whether the body comes from a web stream or
 * straight from the transport.
 */
export class ByteCollector {
  #out: Uint8Array | undefined;
  readonly #chunks: Uint8Array[] = [];
  #total = 0;

  constructor(expectedLength: number | undefined) {
    const sized = expectedLength !== undefined && Number.isSafeInteger(expectedLength) && expectedLength > 0;
    this.#out = sized ? new Uint8Array(expectedLength) : undefined;
  }

  push(chunk: Uint8Array): void {
    const out = this.#out;
    if (out !== undefined && this.#total + chunk.byteLength <= out.byteLength) {
      out.set(chunk, this.#total);
    } else {
      // More than announced: keep what was copied so far as the first chunk and go on collecting.
      if (out !== undefined) this.#chunks.push(out.subarray(0, this.#total));
      this.#out = undefined;
      this.#chunks.push(chunk);
    }
    this.#total += chunk.byteLength;
  }

  result(): Uint8Array {
    const out = this.#out;
    if (out !== undefined) return this.#total === out.byteLength ? out : out.slice(0, this.#total);
    return concatBytes(this.#chunks, this.#total);
  }
}

/** One Uint8Array from `chunks` holding `total` bytes; a single chunk is returned as it is. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
