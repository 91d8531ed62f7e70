/**
 * Errors are symbolic errno names, compared by name everywhere in the project. The numbers differ
 * between libcs (EALREADY is 114 on Linux, 120 in Zephyr), so a number is only ever shown as
 * Zephyr's number (newlib / Zephyr minimal libc), for a firmware engineer reading a log.
 *
 * A call that returns `Result` behaves like a Zephyr function returning `int`: a non-negative
 * number on success, an errno name where Zephyr returns `-E…`.
 */

/** Zephyr's errno values (lib/libc/minimal/include/errno.h; newlib uses the same numbers). */
export const ZEPHYR_ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  ENXIO: 6,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  EPIPE: 32,
  ERANGE: 34,
  ENOMSG: 35,
  EDEADLK: 45,
  ENODATA: 61,
  ETIME: 62,
  EBADMSG: 77,
  ENOSYS: 88,
  ECONNRESET: 104,
  ENOBUFS: 105,
  ETIMEDOUT: 116,
  EALREADY: 120,
  EMSGSIZE: 122,
  ENOTCONN: 128,
  ENOTSUP: 134,
  EOVERFLOW: 139,
  ECANCELED: 140,
} as const;

export type Errno = keyof typeof ZEPHYR_ERRNO;

/** A Zephyr-style `int` result: a non-negative value, or the errno name of `-E…`. */
export type Result = number | Errno;

export function isErrno(value: unknown): value is Errno {
  return typeof value === 'string' && Object.hasOwn(ZEPHYR_ERRNO, value);
}

/** `-EINVAL` → `'EINVAL'`, as Zephyr's own numbering reads it; unknown numbers give undefined. */
export function errnoFromZephyr(negative: number): Errno | undefined {
  const positive = -negative;
  for (const [name, value] of Object.entries(ZEPHYR_ERRNO)) {
    if (value === positive && isErrno(name)) return name;
  }
  return undefined;
}

/** How a result reads in a Zephyr log: `13`, or `-EINVAL (-22)`. */
export function formatResult(result: Result): string {
  return isErrno(result) ? `-${result} (-${ZEPHYR_ERRNO[result]})` : String(result);
}
