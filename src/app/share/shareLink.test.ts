import { describe, expect, it } from 'vitest';
import { ICBMSG_THREE_ENDPOINTS, ICMSG_HELLO, type ScenarioInput } from '../../core';
import { DebugSession } from '../debug/DebugSession';
import { APP_VERSION } from './appVersion';
import { deepLinkHash, MAX_DEEP_LINK_STEP, readLink, shareLinkFor } from './shareLink';

function session(input: ScenarioInput): DebugSession {
  const created = DebugSession.create(input, () => () => undefined);
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

describe('share links in the app', () => {
  it("carries the app's version", () => {
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a link opens the same scenario, and a forked run replays the same trace from it', () => {
    const s = session(ICBMSG_THREE_ENDPOINTS);
    const rt = s.inline;
    if (!rt) throw new Error('inline');
    // Be the scheduler where two cores could run, until a pick differs from the recorded one: a
    // branch of the user's own, kept as a forced decision.
    for (let i = 0; i < 300 && rt.timeline.forced.length === 0; i++) {
      s.sync();
      const choices = s.choices();
      const last = choices[choices.length - 1];
      if (choices.length > 1 && last) s.pick(last.pick);
      else rt.step();
    }
    expect(rt.timeline.forced.length).toBeGreaterThan(0);
    rt.runUntil(() => false, { maxSteps: 100_000 });
    s.sync();
    const link = shareLinkFor(ICBMSG_THREE_ENDPOINTS, s);
    expect(link.caveat).toBeNull();
    const opened = readLink(`#${link.hash}`);
    if (opened.kind !== 'open') throw new Error(JSON.stringify(opened));
    expect(opened.notice).toBeNull();
    const again = session(opened.scenario);
    again.inline?.runUntil(() => false, { maxSteps: 100_000 });
    expect(JSON.stringify(again.inline?.sim.trace.events)).toBe(JSON.stringify(rt.sim.trace.events));
  });

  it('a link replays the sends and faults taken by hand, at the decisions they were taken', () => {
    const s = session(ICMSG_HELLO);
    const rt = s.inline;
    if (!rt) throw new Error('inline');
    for (let i = 0; i < 12; i++) rt.step();
    s.sync();
    expect(s.act({ kind: 'send', endpoint: 'cpuapp/ipc0/ep0', data: [1, 2, 3, 4, 5, 6, 7, 8] }).ok).toBe(true);
    for (let i = 0; i < 5; i++) rt.step();
    s.sync();
    expect(
      s.act({
        kind: 'fault',
        fault: {
          id: 'poke',
          kind: 'corrupt-byte',
          target: { region: 'sram_app_to_rad', field: 'offset', offset: 200 },
          value: 0x5a,
        },
      }).ok,
    ).toBe(true);
    rt.runUntil(() => false, { maxSteps: 100_000 });
    const link = shareLinkFor(ICMSG_HELLO, s);
    expect(link.caveat).toBeNull();
    expect(link.scenario.actions).toHaveLength(2);
    const opened = readLink(`#${link.hash}`);
    if (opened.kind !== 'open') throw new Error(JSON.stringify(opened));
    const again = session(opened.scenario);
    again.inline?.runUntil(() => false, { maxSteps: 100_000 });
    expect(rt.sim.trace.events.some((e) => e.kind === 'fault')).toBe(true);
    expect(again.inline?.sim.map.bytes[200]).toBe(0x5a);
    expect(JSON.stringify(again.inline?.sim.trace.events)).toBe(JSON.stringify(rt.sim.trace.events));
  });

  it('a deep link carries the cursor and the selection; a wrong one opens with a notice', () => {
    const link = shareLinkFor(ICMSG_HELLO, null);
    const deep = deepLinkHash(link.hash, 17, { kind: 'endpoint', key: 'cpurad/ipc0/ep0' });
    const opened = readLink(`#${deep}`);
    expect(opened).toMatchObject({
      kind: 'open',
      at: 17,
      selection: { kind: 'endpoint', key: 'cpurad/ipc0/ep0' },
      notice: null,
    });
    const far = readLink(`#${link.hash}&at=${MAX_DEEP_LINK_STEP + 1}`);
    expect(far).toMatchObject({ kind: 'open', at: null });
    expect(far.kind === 'open' && far.notice).toMatch(/not a decision number up to 200000/);
    const wrong = readLink(`#${link.hash}&at=-3&sel=%7Bnope`);
    expect(wrong).toMatchObject({ kind: 'open', at: null, selection: null });
    expect(wrong.kind === 'open' && wrong.notice).toMatch(/is not a decision number.*not one IPC Scope knows/);
  });

  it('a broken link is an error for the user, no link is nothing', () => {
    expect(readLink('')).toEqual({ kind: 'none' });
    const broken = readLink('#s=1.garbage!');
    expect(broken.kind === 'error' && broken.message).toMatch(/^This share link cannot be opened: /);
  });
});
