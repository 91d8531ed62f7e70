/**
 * Share links: a whole scenario in the URL's hash, never the trace (the inline runtime replays it
 * from the scenario, its seed and its recorded decisions).
 *
 *   #s=<scenario version>.<base64url(deflate-raw(utf8(JSON)))>
 *   JSON: { "app": "<app version>", "scenario": { …the scenario as written… } }
 *
 * Decoding never trusts the link: its length and the size it inflates to are capped, the
 * inflating stops as soon as the cap is passed, and what comes out is parsed and validated like
 * any scenario. Every failure is a sentence for the user, never an exception. Links carry data
 * only; nothing in them is ever run.
 */
import { deflateSync, Inflate } from 'fflate';
import { decodeUtf8, encodeUtf8 } from '../utf8';
import { fail, ok, type Outcome } from '../outcome';
import { parseScenario } from './parse';
import { type Scenario, SCENARIO_VERSION, type ScenarioInput } from './schema';

/** The longest link text decoded (after `#s=`): far beyond any scenario, short of abuse. */
export const MAX_LINK_CHARS = 64 * 1024;
/** The most bytes a link may inflate to. */
export const MAX_INFLATED_BYTES = 1024 * 1024;

export interface SharedScenario {
  readonly scenario: Scenario;
  /** The scenario as the link wrote it (what the editor shows and a new link encodes again). */
  readonly input: ScenarioInput;
  /** The app version that made the link. */
  readonly appVersion: string;
  /** Something the user should know (made by another version), or null. */
  readonly notice: string | null;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** RFC 4648 base64url, without padding. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >>> (18 - 6 * k)) & 63] ?? '';
  }
  return out;
}

/** The bytes of base64url text, or null when it is not base64url. */
export function fromBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (const c of text) {
    const v = VALUE.get(c);
    if (v === undefined) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

/** The link's hash text (`s=1.…`, without the `#`) for a scenario. */
export function encodeShareLink(scenario: ScenarioInput, appVersion: string): string {
  const json = JSON.stringify({ app: appVersion, scenario });
  return `s=${SCENARIO_VERSION}.${base64url(deflateSync(encodeUtf8(json), { level: 9 }))}`;
}

/** Inflates at most `cap` bytes: the bytes, or why not. */
function inflateCapped(data: Uint8Array, cap: number): Uint8Array | 'corrupt' | 'too-big' {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let over = false;
  const inflate = new Inflate((chunk) => {
    size += chunk.length;
    if (size > cap) over = true;
    else chunks.push(chunk);
  });
  try {
    const step = 512;
    for (let i = 0; i < data.length && !over; i += step) {
      inflate.push(data.subarray(i, i + step), i + step >= data.length);
    }
    if (data.length === 0) inflate.push(data, true);
  } catch {
    return over ? 'too-big' : 'corrupt';
  }
  if (over) return 'too-big';
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The scenario in a link's hash (`#s=…` or `s=…`), or what is wrong with the link, in words.
 * `appVersion` is this app's: a link from another one decodes with a notice.
 */
export function decodeShareLink(hash: string, appVersion: string): Outcome<SharedScenario, string> {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!text.startsWith('s=')) return fail('this link holds no scenario (it has no "#s=" part)');
  const body = text.slice(2);
  if (body.length > MAX_LINK_CHARS) {
    return fail(`the link's scenario is ${body.length} characters long; links are read up to ${MAX_LINK_CHARS}`);
  }
  const dot = body.indexOf('.');
  const version = Number(body.slice(0, dot));
  if (dot <= 0 || !Number.isInteger(version) || version < 1) {
    return fail('the link is damaged: it should start "#s=<version>." (was it cut or edited?)');
  }
  if (version > SCENARIO_VERSION) {
    return fail(
      `the link holds a scenario of version ${version}, made by a newer IPC Scope; this one reads versions up to ${SCENARIO_VERSION}`,
    );
  }
  const bytes = fromBase64url(body.slice(dot + 1));
  if (!bytes) return fail('the link is damaged: its scenario is not valid base64url (was it cut or edited?)');
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
  if (inflated === 'corrupt') return fail('the link is damaged: its scenario does not decompress');
  if (inflated === 'too-big') {
    return fail(
      `the link's scenario decompresses to more than ${MAX_INFLATED_BYTES / 1024} KiB: it is read no further`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(decodeUtf8(inflated));
  } catch {
    return fail('the link is damaged: its scenario is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || !('scenario' in payload)) {
    return fail('the link holds no scenario (its data has no "scenario")');
  }
  const app = 'app' in payload && typeof payload.app === 'string' ? payload.app.slice(0, 40) : 'unknown';
  const input = payload.scenario;
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    const first = parsed.error[0];
    const more = parsed.error.length > 1 ? ` (and ${parsed.error.length - 1} more)` : '';
    return fail(
      `the link's scenario is invalid: ${first ? `${first.path}: ${first.message}` : 'unknown error'}${more}`,
    );
  }
  const notice =
    app === appVersion
      ? null
      : `This link was made by IPC Scope ${app}; this is ${appVersion}. The scenario is read as it was written, but a run may differ where the simulation changed.`;
  return ok({ scenario: parsed.value, input: input as ScenarioInput, appVersion: app, notice });
}
