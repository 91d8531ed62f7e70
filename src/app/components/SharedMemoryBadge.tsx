import { useAppStore } from '../store/appStore';

/** The header's shared-memory status: real SharedArrayBuffer, plain buffer, or still checking. */
export function SharedMemoryBadge() {
  const status = useAppStore((s) => s.sharedMemory);
  if (status === 'probing') {
    return (
      <span className="badge badge-muted" data-shared-memory="probing">
        Checking shared memory…
      </span>
    );
  }
  if (status.kind === 'shared') {
    return (
      <span
        className="badge badge-ok"
        data-shared-memory="shared"
        title="A SharedArrayBuffer posted to two Web Workers: one wrote a word, the other read it."
      >
        SharedArrayBuffer · cross-origin isolated
      </span>
    );
  }
  return (
    <span className="badge badge-warn" data-shared-memory="plain-buffer" title={status.problem}>
      Plain buffer · not isolated
    </span>
  );
}
