import type { KeyboardEvent } from 'react';

/** Enter or Space on a focused diagram element does what a click does. */
export const onActivate = (act: () => void) => (e: KeyboardEvent<SVGElement>) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    act();
  }
};
