/**
 * "Corrupt this byte": under the hex pane, for the byte last clicked, a `corrupt-byte` (XOR with
 * a random non-zero byte, from the fault injector's seeded stream) or a `flip-bit` (bit 0) fault
 * on that offset of the region, acting at the time cursor like any fault added by hand.
 */
import { useState } from 'react';
import { hex32 } from '../../format';
import { useAppStore } from '../../store/appStore';
import { type ActOutcome, addFault, nextIdAt } from './faultList';
import './faults.css';

interface Props {
  readonly region: string;
  /** Bytes from the region's first byte. */
  readonly offset: number;
  readonly address: number;
  /** The byte's value at the cursor. */
  readonly value: number;
}

const byteHex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

export function FaultBar({ region, offset, address, value }: Props) {
  const session = useAppStore((s) => s.session);
  const [outcome, setOutcome] = useState<ActOutcome | null>(null);
  if (!session) return null;
  const at = `0x${offset.toString(16).padStart(2, '0')}`;
  const target = { region, field: 'offset', offset } as const;
  return (
    <div className="fault-bar" role="group" aria-label={`Faults on byte ${at} of ${region}`}>
      <span className="fb-where">
        {region} +{at} · {hex32(address)} = {byteHex(value)}
      </span>
      <button
        type="button"
        onClick={() => {
          const id = nextIdAt(session);
          setOutcome(addFault(session, { id, kind: 'corrupt-byte', target, schedule: {} }, `corrupt ${region} +${at}`));
        }}
      >
        Corrupt byte {at}
      </button>
      <button
        type="button"
        onClick={() => {
          const id = nextIdAt(session);
          setOutcome(
            addFault(session, { id, kind: 'flip-bit', target, bit: 0, schedule: {} }, `flip bit 0 of ${region} +${at}`),
          );
        }}
      >
        Flip bit 0
      </button>
      {outcome && (
        <span className={outcome.ok ? 'fb-outcome' : 'fb-outcome problem'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </span>
      )}
    </div>
  );
}
