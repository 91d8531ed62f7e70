/**
 * `Outcome` is the result type for calls whose success carries an object (a validated
 * configuration, a memory map). Calls that mirror a Zephyr `int` function return `Result`
 * from `errno.ts` instead, so the hot path allocates nothing.
 */
export type Outcome<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** A configuration problem, named by the path of the offending field. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}
