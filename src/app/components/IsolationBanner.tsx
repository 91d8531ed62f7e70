import { useAppStore } from '../store/appStore';

/** Says plainly why shared memory is missing and how to fix it; the app keeps working meanwhile. */
export function IsolationBanner() {
  const status = useAppStore((s) => s.sharedMemory);
  const dismissed = useAppStore((s) => s.bannerDismissed);
  const dismiss = useAppStore((s) => s.dismissBanner);
  if (status === 'probing' || status.kind === 'shared' || dismissed) return null;
  return (
    <section className="banner banner-warn" role="status" aria-label="Shared memory unavailable">
      <div>
        <strong>No shared memory in this tab.</strong> {status.problem} IPC Scope keeps running on a plain buffer in
        this thread: everything here works, but cores cannot run in parallel Web Workers.
        <ul>
          {status.fixes.map((fix) => (
            <li key={fix}>{fix}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="ghost" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </section>
  );
}
