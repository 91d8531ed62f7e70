/**
 * UTF-8 without the host's TextEncoder/TextDecoder (not part of the language, so not available to
 * core). Invalid input decodes to U+FFFD, as TextDecoder does.
 */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

export function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) {
      out += '\ufffd';
      i += 1;
      continue;
    }
    let c = need === 0 ? b : b & (0x3f >> need);
    let k = 1;
    for (; k <= need; k++) {
      const cont = bytes[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) break;
      c = (c << 6) | (cont & 0x3f);
    }
    const overlong = (need === 2 && c < 0x800) || (need === 3 && c < 0x10000);
    if (k <= need || overlong || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      // A broken sequence becomes one U+FFFD; the byte that broke it is read again.
      out += '\ufffd';
      i += Math.max(1, k);
      continue;
    }
    out += String.fromCodePoint(c);
    i += need + 1;
  }
  return out;
}
