/**
 * Which Chromium Playwright drives: `PLAYWRIGHT_CHROMIUM_PATH` when set, else Playwright's own
 * managed browser when installed, else Debian's `/usr/bin/chromium`. With none, the run stops with
 * a message saying how to get one (browsers cannot always be downloaded, so this never tries).
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumChoice {
  readonly executablePath: string | undefined;
  readonly source: 'PLAYWRIGHT_CHROMIUM_PATH' | 'playwright-managed' | 'debian';
}

export function resolveChromium(env: NodeJS.ProcessEnv = process.env): ChromiumChoice {
  const fromEnv = env['PLAYWRIGHT_CHROMIUM_PATH'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) {
      throw new Error(`PLAYWRIGHT_CHROMIUM_PATH is set to ${fromEnv}, but no file exists there.`);
    }
    return { executablePath: fromEnv, source: 'PLAYWRIGHT_CHROMIUM_PATH' };
  }
  let managed: string | undefined;
  try {
    managed = chromium.executablePath();
  } catch {
    managed = undefined;
  }
  if (managed !== undefined && existsSync(managed)) return { executablePath: undefined, source: 'playwright-managed' };
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: 'debian' };
  throw new Error(
    [
      'No Chromium found for the browser tests. Install one of:',
      '  - Debian/Ubuntu: sudo apt-get install chromium   (then it is found at /usr/bin/chromium)',
      "  - Playwright's own browser: npx playwright install chromium   (needs network access)",
      '  - any Chromium: export PLAYWRIGHT_CHROMIUM_PATH=/path/to/chromium',
    ].join('\n'),
  );
}

/**
 * How to launch the chosen Chromium here: `--no-sandbox` only as root (Chromium refuses to run
 * as root with its sandbox), and no background traffic (this machine has no network for it).
 */
export function chromiumLaunchOptions(choice: ChromiumChoice = resolveChromium()): {
  executablePath?: string;
  args: string[];
} {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return {
    ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
    args: [
      ...(isRoot ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}
