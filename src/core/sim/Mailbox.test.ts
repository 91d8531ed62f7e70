import { describe, expect, it } from 'vitest';
import { MemoryMap } from '../shm/MemoryMap';
import { Simulation } from './Simulation';

function sim(mailbox: Partial<{ latencyNs: number; jitterNs: number; coalesce: boolean; loseWhenDisabled: boolean }>) {
  const map = MemoryMap.create({ buffer: new ArrayBuffer(64), regions: [] });
  if (!map.ok) throw new Error('map');
  const s = new Simulation(map.value, { seed: 3, mailbox });
  s.defineChannel('a2b', 'A', 'B');
  const kernelA = s.kernel('A');
  const kernelB = s.kernel('B');
  return { s, kernelA, kernelB };
}

describe('doorbells', () => {
  it('are lost while the receiver has not enabled its channel', () => {
    const { s, kernelA } = sim({});
    expect(kernelA.mboxSend('a2b')).toBe(0);
    expect(s.pendingDoorbells('B')).toBe(0);
    expect(s.trace.events.map((e) => e.kind)).toEqual(['doorbell-rung', 'doorbell-lost']);
  });

  it('coalesce into one interrupt when rung again before the first was taken', () => {
    const { s, kernelA, kernelB } = sim({ jitterNs: 0 });
    let interrupts = 0;
    kernelB.mboxInit('a2b', () => (interrupts += 1));
    kernelA.mboxSend('a2b');
    kernelA.mboxSend('a2b');
    kernelA.mboxSend('a2b');
    s.run();
    expect(interrupts).toBe(1);
    const delivered = s.trace.events.find((e) => e.kind === 'doorbell-delivered');
    expect(delivered?.kind === 'doorbell-delivered' && delivered.coalesced).toBe(2);
  });

  it('arrive after the latency plus whole-tick jitter', () => {
    const { s, kernelA, kernelB } = sim({ latencyNs: 3_000, jitterNs: 2_000 });
    const delays: number[] = [];
    let rungAt = 0;
    kernelB.mboxInit('a2b', () => delays.push(s.now - rungAt));
    for (let i = 0; i < 30; i++) {
      rungAt = s.now;
      kernelA.mboxSend('a2b');
      s.run();
    }
    expect(delays).toHaveLength(30);
    for (const d of delays) expect([3_000, 4_000, 5_000]).toContain(d);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it('are delivered one by one in the counting model the conformance vectors use', () => {
    const { s, kernelA, kernelB } = sim({ coalesce: false, loseWhenDisabled: false, jitterNs: 0 });
    kernelA.mboxSend('a2b');
    kernelA.mboxSend('a2b');
    expect(s.pendingDoorbells('B')).toBe(2);
    let interrupts = 0;
    kernelB.mboxInit('a2b', () => (interrupts += 1));
    expect(s.discardDoorbell('B')).toBe(true);
    s.run();
    expect(interrupts).toBe(1);
  });
});
