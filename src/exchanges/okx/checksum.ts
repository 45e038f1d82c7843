/**
 * The OKX order-book checksum (protocols.md §4.5): CRC32 (IEEE) of the top 25 bids and asks interleaved as
 * `bidPx:bidSz:askPx:askSz:...` with the venue's own strings (a short side leaves the rest of the other
 * side in order), read as a signed 32-bit integer. Own table-driven CRC32; no dependency.
 */
import type { BookLevelsReader } from '../../core/venue.js';

/** Levels per side the checksum covers. */
export const CHECKSUM_DEPTH = 25;

/** The CRC32 lookup table of the reflected IEEE polynomial 0xEDB88320. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32 (IEEE 802.3, as zlib) of `text` as UTF-8, as a signed 32-bit integer. */
export function crc32Signed(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) | 0;
}

/** The checksum input: best levels first, `bid:ask` pairs while both sides have levels, then the longer side's rest. */
export function checksumText(bids: ReadonlyArray<readonly [string, string]>, asks: ReadonlyArray<readonly [string, string]>): string {
  const parts: string[] = [];
  for (let i = 0; i < CHECKSUM_DEPTH; i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid !== undefined) parts.push(bid[0], bid[1]);
    if (ask !== undefined) parts.push(ask[0], ask[1]);
  }
  return parts.join(':');
}

/** The checksum of a book's current top 25 levels (the book must keep the venue's level strings). */
export function bookChecksum(book: BookLevelsReader): number {
  return crc32Signed(checksumText(book.topStrings('bids', CHECKSUM_DEPTH), book.topStrings('asks', CHECKSUM_DEPTH)));
}
