/**
 * Is shared memory really available? `crossOriginIsolated` says what the browser intends; this
 * check proves it by creating a `SharedArrayBuffer`, posting it to two Web Workers and having one
 * read, after an `Atomics.wait`, the word the other wrote. When any step fails, the report says
 * which, why, and how to fix it, and the app runs on a plain `ArrayBuffer` (DESIGN.md §4).
 */
import { runProbe } from './isolationRun';

export type SharedMemoryStatus =
  | {
      readonly kind: 'shared';
      readonly crossOriginIsolated: boolean;
      /** The pattern the writer stored and the reader, in another thread, saw. */
      readonly pattern: number;
    }
  | {
      readonly kind: 'plain-buffer';
      readonly crossOriginIsolated: boolean;
      readonly secureContext: boolean;
      readonly serviceWorker: 'controlling' | 'not-controlling' | 'unavailable';
      /** What failed, in plain words. */
      readonly problem: string;
      /** How to fix it. */
      readonly fixes: readonly string[];
    };

export interface ProbeEnvironment {
  readonly crossOriginIsolated: boolean;
  readonly isSecureContext: boolean;
  readonly serviceWorker: 'controlling' | 'not-controlling' | 'unavailable';
  readonly createWorker: () => Worker;
  readonly timeoutMs?: number;
}

export const ISOLATION_HEADERS = [
  'Cross-Origin-Opener-Policy: same-origin',
  'Cross-Origin-Embedder-Policy: require-corp',
] as const;

function fixesFor(env: ProbeEnvironment): string[] {
  const fixes = [
    `Serve the page with the headers ${ISOLATION_HEADERS.join(' and ')}. npm run dev and npm run preview send them; on Netlify or Cloudflare Pages the bundled _headers file does.`,
  ];
  if (!env.isSecureContext) {
    fixes.push(
      'Open the app over HTTPS or from localhost: browsers only isolate, and only run service workers in, secure contexts.',
    );
  } else if (env.serviceWorker === 'unavailable') {
    fixes.push(
      'This browser (or a private window) offers no service workers, so the header fallback cannot run: use a host that sends the headers.',
    );
  } else if (env.serviceWorker === 'controlling') {
    fixes.push(
      'The fallback service worker is active but the page is still not isolated: the host may send a conflicting policy. Check the response headers in the network panel.',
    );
  } else {
    fixes.push(
      'On hosts that cannot send headers (GitHub Pages), the bundled service worker adds them and reloads the page once: allow it, or reload.',
    );
  }
  return fixes;
}

/** Runs the two-worker check. Never rejects: every failure becomes a `plain-buffer` report. */
export async function probeSharedMemory(env: ProbeEnvironment): Promise<SharedMemoryStatus> {
  const plain = (problem: string): SharedMemoryStatus => ({
    kind: 'plain-buffer',
    crossOriginIsolated: env.crossOriginIsolated,
    secureContext: env.isSecureContext,
    serviceWorker: env.serviceWorker,
    problem,
    fixes: fixesFor(env),
  });

  if (typeof SharedArrayBuffer === 'undefined') {
    return plain(
      `SharedArrayBuffer is not available: the page is not cross-origin isolated (crossOriginIsolated = ${String(env.crossOriginIsolated)}).`,
    );
  }
  try {
    const pattern = await runProbe(env.createWorker, env.timeoutMs ?? 5000);
    return { kind: 'shared', crossOriginIsolated: env.crossOriginIsolated, pattern };
  } catch (error) {
    return plain(error instanceof Error ? error.message : String(error));
  }
}

/** A probe worker, bundled by Vite from `workers/isolationProbe.worker.ts`. */
export function createIsolationProbeWorker(): Worker {
  return new Worker(new URL('./workers/isolationProbe.worker.ts', import.meta.url), {
    type: 'module',
    name: 'ipc-scope isolation probe',
  });
}
