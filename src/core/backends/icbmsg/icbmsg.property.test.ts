import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ipc from '../../ipc/ipcService';
import { createEndpoint, type IpcEndpoint, type IpcInstance } from '../../ipc/types';
import { checkPayload, makePayload } from '../../scenario/payload';
import { rig } from './rig';

const NAMES = ['hci', 'app', 'log'] as const;

interface Op {
  readonly endpoint: number;
  /** A → B or B → A. */
  readonly fromA: boolean;
  readonly size: number;
  /** The receiver holds the buffer and releases it later. */
  readonly hold: boolean;
}

const op: fc.Arbitrary<Op> = fc.record({
  endpoint: fc.integer({ min: 0, max: NAMES.length - 1 }),
  fromA: fc.boolean(),
  size: fc.integer({ min: 4, max: 500 }),
  hold: fc.boolean(),
});

describe('ICBMsg under random multi-endpoint traffic', () => {
  it('delivers every message once, in order per endpoint, intact, and frees every block at the end', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (ops, releaseEvery) => {
          const { sim, A, B } = rig(8);
          const held: { ept: IpcEndpoint; buffer: Uint8Array }[] = [];
          /** Sequence numbers received, per endpoint and direction ("hci:AB"). */
          const got = new Map<string, number[]>();
          const sent = new Map<string, number[]>();
          let holdNext = false;
          const side = (instance: IpcInstance, here: 'A' | 'B') =>
            NAMES.map((name) => {
              const ept = createEndpoint();
              const key = `${name}:${here === 'A' ? 'BA' : 'AB'}`;
              ipc.registerEndpoint(instance, ept, {
                name,
                cb: {
                  received: (data) => {
                    const seq = checkPayload(data);
                    expect(seq, `${key} payload intact`).not.toBeNull();
                    got.set(key, [...(got.get(key) ?? []), seq ?? -1]);
                    if (holdNext) {
                      expect(ipc.holdRxBuffer(ept, data)).toBe(0);
                      held.push({ ept, buffer: data });
                    }
                  },
                },
              });
              return ept;
            });
          ipc.openInstance(A.instance);
          ipc.openInstance(B.instance);
          const eptsA = side(A.instance, 'A');
          const eptsB = side(B.instance, 'B');
          sim.run({ maxSteps: 50_000 });

          ops.forEach((o, i) => {
            const ept = (o.fromA ? eptsA : eptsB)[o.endpoint];
            if (!ept) return;
            const key = `${NAMES[o.endpoint]}:${o.fromA ? 'AB' : 'BA'}`;
            const seq = sent.get(key)?.length ?? 0;
            // Retry while the blocks are all in flight: the peer's releases free them.
            let r = ipc.send(ept, makePayload(seq, o.size));
            for (let tries = 0; r === 'ENOMEM' && tries < 10_000; tries++) {
              if (held.length > 0) {
                const h = held.shift();
                if (h) expect(ipc.releaseRxBuffer(h.ept, h.buffer)).toBe(0);
              }
              if (sim.step().kind === 'idle' && held.length === 0) break;
              r = ipc.send(ept, makePayload(seq, o.size));
            }
            expect(r).toBe(o.size);
            sent.set(key, [...(sent.get(key) ?? []), seq]);
            holdNext = o.hold;
            sim.run({ maxSteps: 50_000 });
            if (i % releaseEvery === 0) {
              for (const h of held.splice(0)) expect(ipc.releaseRxBuffer(h.ept, h.buffer)).toBe(0);
              sim.run({ maxSteps: 50_000 });
            }
          });
          for (const h of held.splice(0)) expect(ipc.releaseRxBuffer(h.ept, h.buffer)).toBe(0);
          expect(sim.run({ maxSteps: 100_000 })).toBe('idle');

          for (const [key, seqs] of sent) expect(got.get(key), key).toEqual(seqs);
          expect([...got.keys()].sort()).toEqual([...sent.keys()].sort());
          expect(A.backend.allocator.free).toBe(8);
          expect(B.backend.allocator.free).toBe(8);
        },
      ),
      { numRuns: 60 },
    );
  });
});
