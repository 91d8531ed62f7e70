/** What the conformance runner says of one config. */
export type ConfigReport =
  | { readonly name: string; readonly status: 'pass'; readonly steps: number }
  | { readonly name: string; readonly status: 'fail'; readonly step: number | null; readonly message: string }
  | { readonly name: string; readonly status: 'unsupported'; readonly reason: string };

/** The first difference between two byte images, described for a human, or null when equal. */
export function describeImageDifference(label: string, expectedHex: string, actualHex: string): string | null {
  if (expectedHex === actualHex) return null;
  if (expectedHex.length !== actualHex.length) {
    return `${label}: expected ${expectedHex.length / 2} bytes, got ${actualHex.length / 2}`;
  }
  for (let i = 0; i < expectedHex.length; i += 2) {
    if (expectedHex.slice(i, i + 2) !== actualHex.slice(i, i + 2)) {
      const at = i / 2;
      const around = (hex: string): string => hex.slice(Math.max(0, i - 8), i + 10);
      return `${label} differs at byte 0x${at.toString(16)} (${at}): expected ${expectedHex.slice(i, i + 2)}, got ${actualHex.slice(i, i + 2)} (…${around(expectedHex)}… vs …${around(actualHex)}…)`;
    }
  }
  return null;
}

/** Compares named scalar fields; returns the first mismatch described, or null. */
export function describeFieldDifference(fields: readonly [string, unknown, unknown][]): string | null {
  for (const [name, expected, actual] of fields) {
    if (expected !== undefined && expected !== actual) {
      return `${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    }
  }
  return null;
}
