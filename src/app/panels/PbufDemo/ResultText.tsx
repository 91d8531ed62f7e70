import { formatResult, isErrno, type Result } from '../../../core';

/** A Zephyr-style return value: the number, or `-ENOMEM (-12)` with Zephyr's errno number. */
export function ResultText({ result }: { readonly result: Result }) {
  return <code className={isErrno(result) ? 'result result-error' : 'result result-ok'}>{formatResult(result)}</code>;
}
