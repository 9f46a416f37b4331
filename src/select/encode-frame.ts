/** Writes SelectObject frames (the layout is described in frames.ts); used by the emulator and tests. */
import { crc32 } from '../integrity/crc32.js';
import { CHECKSUM_BYTES, FRAME_TYPES, HEADER_BYTES, VERSION, type SelectFrame } from './frames.js';

const utf8 = new TextEncoder();

/** Writes one frame; `checksum: false` leaves the payload checksum 0, as OSS does without EnablePayloadCrc. */
export function encodeFrame(frame: SelectFrame, checksum = true): Uint8Array {
  const payload = encodePayload(frame);
  const out = new Uint8Array(HEADER_BYTES + payload.length + CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, ((VERSION << 24) | typeCode(frame)) >>> 0);
  view.setUint32(4, payload.length);
  view.setUint32(8, 0);
  out.set(payload, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + payload.length, checksum ? crc32(payload) : 0);
  return out;
}

function typeCode(frame: SelectFrame): number {
  if (frame.type === 'metaEnd') return frame.format === 'csv' ? FRAME_TYPES.metaEndCsv : FRAME_TYPES.metaEndJson;
  return FRAME_TYPES[frame.type];
}

function encodePayload(frame: SelectFrame): Uint8Array {
  switch (frame.type) {
    case 'data': {
      const out = new Uint8Array(8 + frame.data.length);
      setUint64(out, 0, frame.offset);
      out.set(frame.data, 8);
      return out;
    }
    case 'continuous': {
      const out = new Uint8Array(8);
      setUint64(out, 0, frame.offset);
      return out;
    }
    case 'end': {
      const message = utf8.encode(frame.errorMessage);
      const out = new Uint8Array(20 + message.length);
      setUint64(out, 0, frame.offset);
      setUint64(out, 8, frame.scannedBytes);
      new DataView(out.buffer).setUint32(16, frame.status);
      out.set(message, 20);
      return out;
    }
    case 'metaEnd': {
      const message = utf8.encode(frame.errorMessage);
      const fixed = frame.format === 'csv' ? 36 : 32;
      const out = new Uint8Array(fixed + message.length);
      const view = new DataView(out.buffer);
      setUint64(out, 0, frame.offset);
      setUint64(out, 8, frame.scannedBytes);
      view.setUint32(16, frame.status);
      view.setUint32(20, frame.splits);
      setUint64(out, 24, frame.rows);
      if (frame.format === 'csv') view.setUint32(32, frame.columns ?? 0);
      out.set(message, fixed);
      return out;
    }
  }
}

function setUint64(out: Uint8Array, at: number, value: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, Math.floor(value / 2 ** 32));
  view.setUint32(at + 4, value >>> 0);
}

