/**
 * Host ↔ domain-worker messages, version 1. postMessage is used once per worker start: the host
 * sends `start` (the scenario and both SharedArrayBuffers), the worker answers `ready` when it has
 * built its domain, or `failed` if it could not. Everything after that goes through the control
 * SharedArrayBuffer (`control.ts`).
 */
import type { ScenarioInput } from '../../core';
import type { ControlLayout } from './control';

export const PROTOCOL_VERSION = 1;

export type HostToDomain = {
  readonly v: 1;
  readonly kind: 'start';
  /** The scenario as validated by the host; the worker validates it again. */
  readonly scenario: ScenarioInput;
  readonly domain: string;
  readonly sharedRam: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly layout: ControlLayout;
  /** `performance.timeOrigin + performance.now()` when the run started, ms: the shared time base. */
  readonly epochMs: number;
  /** A warm restart: shared memory is kept as it is. */
  readonly restart: boolean;
  /** Which incarnation of this domain this is (0 first, +1 per restart). */
  readonly incarnation: number;
};

export type DomainToHost =
  | { readonly v: 1; readonly kind: 'ready'; readonly domain: string }
  | { readonly v: 1; readonly kind: 'failed'; readonly domain: string; readonly message: string }
  /** The domain's code reset its core (`Kernel.reset`): the host restarts it over memory as it is. */
  | { readonly v: 1; readonly kind: 'reset'; readonly domain: string; readonly reason: string };
