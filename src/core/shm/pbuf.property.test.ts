/**
 * pbuf against a reference model: a plain queue of packets plus the capacity rule (a packet takes
 * 4 + ROUND_UP(len, 4) bytes; 4 bytes always stay free). For random layouts and random
 * interleavings of writes, reads and peeks, the real FIFO in memory must answer exactly as the
 * model does, deliver every packet once, in order and intact, and touch no byte outside the
 * packet being written and the index it publishes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isErrno } from '../errno';
import { pbufCfgInit, pbufWrap } from './pbuf';
import { createPbufPair } from './pbufPair';

const layoutArb = fc
  .record({
    dcache: fc.constantFrom(0, 4, 8, 16, 32, 64),
    useHandshake: fc.boolean(),
    dataWords: fc.integer({ min: 3, max: 160 }),
    fill: fc.integer({ min: 0, max: 255 }),
  })
  .map((l) => ({ ...l, dcache: l.useHandshake ? Math.max(8, l.dcache) : l.dcache }));

const opsArb = (dataLen: number) =>
  fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('write' as const),
          len: fc.integer({ min: 1, max: dataLen + 8 }),
          seed: fc.nat(255),
        }),
      },
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('read' as const),
          capacity: fc.integer({ min: 0, max: dataLen + 8 }),
        }),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
    ),
    { minLength: 1, maxLength: 120 },
  );

const footprint = (len: number): number => 4 + ((len + 3) & ~3);

describe('pbuf against a reference queue', () => {
  it('never loses, duplicates, reorders or corrupts a packet, and touches only the bytes it owns', () => {
    fc.assert(
      fc.property(
        layoutArb.chain((layout) => {
          const wrOffset = Math.max(layout.dcache, layout.useHandshake ? 8 : 4);
          const regionSize = wrOffset + 4 + layout.dataWords * 4;
          return fc.tuple(fc.constant({ ...layout, regionSize }), opsArb(layout.dataWords * 4));
        }),
        ([layout, ops]) => {
          const created = createPbufPair({
            regionSize: layout.regionSize,
            dcacheAlignment: layout.dcache,
            useHandshake: layout.useHandshake,
            fill: layout.fill,
          });
          if (!created.ok) throw new Error(created.error);
          const { map, cfg, writer, reader } = created.value;
          expect(cfg).toEqual(pbufCfgInit(0, layout.regionSize, layout.dcache, layout.useHandshake));
          expect(writer.txInit()).toBe(0);
          expect(reader.rxInit()).toBe(0);

          const L = cfg.len;
          const queue: Uint8Array[] = [];
          let occupied = 0;
          const view = new DataView(map.buffer);
          const word = (off: number) => view.getUint32(off, true);

          for (const op of ops) {
            const before = map.bytes.slice();
            const allowed = new Set<number>();
            const allow = (start: number, length: number) => {
              for (let i = 0; i < length; i++) allowed.add(start + i);
            };

            if (op.kind === 'write') {
              const payload = Uint8Array.from({ length: op.len }, (_, i) => (op.seed * 31 + i * 7) & 0xff);
              const fits = L - occupied - 4 >= op.len + 4 && op.len <= 0xffff;
              const wr = writer.data.wrIdx;
              const ret = writer.write(payload, op.len);
              expect(ret).toBe(fits ? op.len : 'ENOMEM');
              if (fits) {
                allow(cfg.dataLoc + wr, 4);
                const start = pbufWrap(L, wr + 4);
                const tail = Math.min(op.len, L - start);
                allow(cfg.dataLoc + start, tail);
                allow(cfg.dataLoc, op.len - tail);
                allow(cfg.wrIdxLoc, 4);
                queue.push(payload);
                occupied += footprint(op.len);
              }
            } else if (op.kind === 'read') {
              const head = queue[0];
              const dst = new Uint8Array(op.capacity);
              const ret = reader.read(dst, op.capacity);
              if (head === undefined) {
                expect(ret).toBe(0);
              } else if (head.length > op.capacity) {
                expect(ret).toBe('ENOMEM');
              } else {
                expect(ret).toBe(head.length);
                expect(dst.subarray(0, head.length)).toEqual(head);
                queue.shift();
                occupied -= footprint(head.length);
                allow(cfg.rdIdxLoc, 4);
              }
            } else {
              expect(reader.read(null)).toBe(queue[0]?.length ?? 0);
            }

            for (let i = 0; i < before.length; i++) {
              if (before[i] !== map.bytes[i] && !allowed.has(i)) {
                throw new Error(`${op.kind} changed byte ${i} outside the packet it wrote`);
              }
            }
            const rd = word(cfg.rdIdxLoc);
            const wr = word(cfg.wrIdxLoc);
            expect(rd % 4).toBe(0);
            expect(wr % 4).toBe(0);
            expect(rd).toBeLessThan(L);
            expect(wr).toBeLessThan(L);
            expect(rd).toBe(reader.data.rdIdx);
            expect(wr).toBe(writer.data.wrIdx);
            expect(rd === wr).toBe(queue.length === 0);
          }

          // Drain: whatever is left comes out in order.
          for (const expected of queue) {
            const dst = new Uint8Array(expected.length);
            const ret = reader.read(dst);
            expect(isErrno(ret) ? ret : dst.subarray(0, ret)).toEqual(expected);
          }
          expect(reader.read(new Uint8Array(4))).toBe(0);
        },
      ),
      { numRuns: 400, seed: 0x1ca5c0de },
    );
  });
});
