import { expect, test } from '@playwright/test';
import { PLAIN_PORT } from './ports';

test.describe('cross-origin isolation', () => {
  test('vite preview serves the app cross-origin isolated, and two workers share one SharedArrayBuffer', async ({
    page,
  }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.locator('[data-shared-memory]')).toHaveAttribute('data-shared-memory', 'shared');
    await expect(page.getByText('SharedArrayBuffer · cross-origin isolated')).toBeVisible();

    // A fresh run of the check: the reader worker reports the word the writer worker stored.
    const status = await page.evaluate(() => window.__ipcScope?.probeAgain());
    expect(status).toMatchObject({ kind: 'shared', pattern: 0x2007_5a5a });
    expect(await page.evaluate(() => window.__ipcScope?.demoMemoryIsShared())).toBe(true);
  });

  test('without the headers and without the service worker, the app says what is missing and runs on a plain buffer', async ({
    page,
  }) => {
    await page.goto(`http://localhost:${PLAIN_PORT}/?testing=1&coi-sw=off`);
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.locator('[data-shared-memory]')).toHaveAttribute('data-shared-memory', 'plain-buffer');
    const banner = page.getByRole('status', { name: 'Shared memory unavailable' });
    await expect(banner).toContainText('not cross-origin isolated');
    await expect(banner).toContainText('Cross-Origin-Opener-Policy: same-origin');
    await expect(banner).toContainText('Cross-Origin-Embedder-Policy: require-corp');
    expect(await page.evaluate(() => window.__ipcScope?.demoMemoryIsShared())).toBe(false);

    // Still fully usable: the debugger's demo binds on the inline runtime…
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.evaluate(() => window.__ipcScope?.waitForState('cpurad/ipc0', 'CONNECTED_SID_ENABLED'));
    // …and a packet goes through the playground's FIFO on the plain buffer.
    await page.getByRole('tab', { name: 'pbuf playground' }).click();
    await page.getByRole('textbox', { name: 'Payload' }).fill('de ad be ef');
    await page.getByRole('button', { name: 'pbuf_write' }).click();
    await page.getByRole('button', { name: 'pbuf_read' }).click();
    await expect(page.getByTestId('last-read-hex')).toHaveText('de ad be ef');
  });

  test('on a host that sends no headers, the service worker adds them and the page becomes isolated after one reload', async ({
    page,
  }) => {
    await page.goto(`http://localhost:${PLAIN_PORT}/?testing=1`);
    await page.waitForFunction(() => crossOriginIsolated, undefined, { timeout: 15_000 });
    await page.waitForFunction(() => window.__ipcScope !== undefined);
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await expect(page.locator('[data-shared-memory]')).toHaveAttribute('data-shared-memory', 'shared');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  });
});
