import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_PRESETS } from './presets/faults';
import { ICBMSG_NOCOPY_HOLD, ICBMSG_THREE_ENDPOINTS } from './presets/icbmsg';
import { ICMSG_BACKPRESSURE, ICMSG_ECHO_500, ICMSG_HELLO, ICMSG_PING_ECHO } from './presets/icmsg';
import type { ScenarioInput } from './schema';
import { base64url, decodeShareLink, encodeShareLink, fromBase64url, MAX_LINK_CHARS } from './share';

const PRESETS: readonly ScenarioInput[] = [
  ICMSG_HELLO,
  ICMSG_PING_ECHO,
  ICMSG_ECHO_500,
  ICMSG_BACKPRESSURE,
  ICBMSG_THREE_ENDPOINTS,
  ICBMSG_NOCOPY_HOLD,
  ...FAULT_PRESETS.flatMap((p) => [p.scenario, ...(p.fixed ? [p.fixed.scenario] : [])]),
];

describe('share links', () => {
  it('base64url round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(fromBase64url(base64url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('every preset round-trips, and its link fits in 2,000 characters', () => {
    for (const input of PRESETS) {
      const link = encodeShareLink(input, '0.1.0');
      expect(link.length, input.name).toBeLessThan(2000);
      const back = decodeShareLink(`#${link}`, '0.1.0');
      if (!back.ok) throw new Error(back.error);
      expect(back.value.input).toEqual(input);
      expect(back.value.notice).toBeNull();
    }
  });

  it('says when the link came from another app version', () => {
    const back = decodeShareLink(encodeShareLink(ICMSG_HELLO, '0.0.9'), '0.1.0');
    expect(back.ok && back.value.notice).toMatch(/made by IPC Scope 0\.0\.9; this is 0\.1\.0/);
  });

  it('refuses garbage with a sentence: no scenario, bad version, newer version, bad base64, not deflate, not JSON, invalid', () => {
    const reason = (hash: string) => {
      const r = decodeShareLink(hash, '0.1.0');
      return r.ok ? 'ok' : r.error;
    };
    expect(reason('#x=1')).toMatch(/no "#s=" part/);
    expect(reason('#s=abc')).toMatch(/should start "#s=<version>\."/);
    expect(reason('#s=99.AAAA')).toMatch(/made by a newer IPC Scope/);
    expect(reason('#s=1.$$$')).toMatch(/not valid base64url/);
    expect(reason('#s=1.AAAAAAAA')).toMatch(/does not decompress/);
    const notJson = encodeShareLink(ICMSG_HELLO, '0.1.0').replace(/^s=1\./, '');
    expect(reason(`#s=1.${notJson.slice(0, 20)}`)).not.toBe('ok');
    const invalid = encodeShareLink({ ...ICMSG_HELLO, seed: -1 }, '0.1.0');
    expect(reason(`#${invalid}`)).toMatch(/^the link's scenario is invalid: seed: /);
    expect(reason(`#s=1.${'A'.repeat(MAX_LINK_CHARS + 1)}`)).toMatch(/links are read up to/);
  });

  it('stops inflating a decompression bomb at the cap', () => {
    // 60 KB of zeros deflates to a few hundred bytes; 2 MB of them would pass the 1 MiB cap.
    const bomb = `s=1.${base64url(new Uint8Array(0))}`;
    expect(decodeShareLink(bomb, '0.1.0').ok).toBe(false);
    const json = `{"app":"x","scenario":"${' '.repeat(2_000_000)}"}`;
    const big = encodeShareLink(json as unknown as ScenarioInput, 'x');
    expect(big.length).toBeLessThan(MAX_LINK_CHARS);
    const r = decodeShareLink(big, '0.1.0');
    expect(r.ok ? 'ok' : r.error).toMatch(/decompresses to more than 1024 KiB: it is read no further/);
  });

  it('fuzz: 100,000 random and mutated links each decode to a valid scenario or a clear error, never an exception', () => {
    const links = PRESETS.map((p) => encodeShareLink(p, '0.1.0'));
    const mutated = fc
      .tuple(
        fc.constantFrom(...links),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'ABCxyz019-_.=$#%'), fc.constantFrom('set', 'cut', 'insert')), {
          minLength: 1,
          maxLength: 6,
        }),
      )
      .map(([link, edits]) => {
        let s = link;
        for (const [at, c, how] of edits) {
          const i = at % Math.max(1, s.length);
          s =
            how === 'set'
              ? s.slice(0, i) + c + s.slice(i + 1)
              : how === 'cut'
                ? s.slice(0, i)
                : s.slice(0, i) + c + s.slice(i);
        }
        return s;
      });
    const random = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => `s=1.${s}`),
      fc.uint8Array({ maxLength: 300 }).map((b) => `s=1.${base64url(b)}`),
    );
    fc.assert(
      fc.property(fc.oneof(mutated, random), (hash) => {
        const r = decodeShareLink(hash, '0.1.0');
        if (r.ok) expect(r.value.scenario.version).toBe(1);
        else expect(r.error.length).toBeGreaterThan(10);
      }),
      { numRuns: 100_000, seed: 0x5ca1e },
    );
  });
});
