import { expect, type Page, test } from '@playwright/test';

/** The debugger's state at the time cursor, from the `?testing=1` hook. */
const debug = (page: Page) => page.evaluate(() => window.__ipcScope?.debug());

async function runToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
}

const instance = (page: Page, key: string) => page.locator(`[data-instance="${key}"]`);

test.describe('the debugger, as a newcomer uses it', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
  });

  test('opens on the two-core ICMsg demo; Run binds both endpoints, and topology and statechart agree', async ({
    page,
  }, testInfo) => {
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('icmsg-hello');
    await expect(instance(page, 'cpuapp/ipc0')).toHaveAttribute('data-state', '');
    await page.screenshot({ path: testInfo.outputPath('0-opened.png') });

    await runToEnd(page);
    for (const key of ['cpuapp/ipc0', 'cpurad/ipc0']) {
      await expect(instance(page, key)).toHaveAttribute('data-state', 'CONNECTED_SID_ENABLED');
      await expect(page.getByRole('button', { name: `Endpoint ${key}/ep0: bound` })).toBeVisible();
    }
    // The statechart draws the same machine and lights the same state, for either instance.
    for (const key of ['cpuapp/ipc0', 'cpurad/ipc0']) {
      await page.getByRole('combobox', { name: 'Instance' }).selectOption(key);
      await expect(page.getByTestId('statechart-live')).toHaveText(`${key}: CONNECTED_SID_ENABLED`);
      await expect(page.getByRole('button', { name: 'State CONNECTED_SID_ENABLED (current)' })).toBeVisible();
      await expect(page.getByRole('list', { name: 'Transition history' })).toContainText(
        'INITIALIZING_SID_ENABLED → CONNECTED_SID_ENABLED',
      );
    }
    expect(await debug(page)).toMatchObject({
      instances: { 'cpuapp/ipc0': 'CONNECTED_SID_ENABLED', 'cpurad/ipc0': 'CONNECTED_SID_ENABLED' },
      endpoints: { 'cpuapp/ipc0/ep0': 'bound', 'cpurad/ipc0/ep0': 'bound' },
    });
    await page.screenshot({ path: testInfo.outputPath('1-bound.png') });
  });

  test('a message sent by hand is followed from send to receive in the timeline, the ring and the hex pane', async ({
    page,
  }, testInfo) => {
    await runToEnd(page);
    await page.getByRole('textbox', { name: 'Message' }).fill('hello');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('combobox', { name: 'Run until what' }).selectOption('message');
    await page.getByRole('button', { name: 'Run until', exact: true }).click();
    // Run until runs in slices: wait until it has stopped at the write.
    await page.waitForFunction(() => {
      const last = window.__ipcScope?.events('packet-written').at(-1);
      return window.__ipcScope?.debug()?.status === 'paused' && last?.kind === 'packet-written' && last.length === 5;
    });

    // The cursor stops at the write: the packet is in the ring, its bytes in the hex pane.
    const written = await page.evaluate(() => window.__ipcScope?.events('packet-written').at(-1));
    expect(written).toMatchObject({ kind: 'packet-written', region: 'sram_app_to_rad', length: 5 });
    const msgId = written?.kind === 'packet-written' ? written.msgId : -1;
    await page.locator(`.el-row[data-seq="${written?.seq ?? -1}"]`).click();
    await expect(page.getByRole('group', { name: `Message ${msgId}` })).toBeVisible();
    const cells = await page
      .getByRole('group', { name: 'Bytes of sram_app_to_rad' })
      .locator('[data-offset]')
      .allTextContents();
    expect(cells.join(' ')).toContain('68 65 6c 6c 6f');
    await expect(page.getByRole('tree', { name: 'Fields of sram_app_to_rad' })).toContainText(`#${msgId}`);
    await page.screenshot({ path: testInfo.outputPath('2-written.png') });

    // Not received yet at the cursor; run on, then go to its receive: the cursor moves to the
    // echo side's received() callback.
    await expect(page.getByRole('button', { name: 'Go to receive' })).toBeDisabled();
    await runToEnd(page);
    await page.getByRole('button', { name: 'Go to receive' }).click();
    const received = await page.evaluate(
      (id) =>
        window.__ipcScope
          ?.events('callback')
          .find((e) => e.kind === 'callback' && e.callback === 'received' && e.msgId === id),
      msgId,
    );
    expect(received).toMatchObject({ domain: 'cpurad', endpoint: 'ep0', length: 5 });
    expect((await debug(page))?.cursor).toBeGreaterThan(received?.index ?? Infinity);

    // The sequence diagram draws it as an arrow between the two endpoints' lifelines.
    await page.getByRole('radio', { name: 'Sequence' }).click();
    await expect(
      page.getByRole('button', { name: `message #${msgId} from cpuapp/ipc0/ep0 to cpurad/ipc0/ep0` }),
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('3-received.png') });
  });

  test('stepping back past the bind shows the earlier handshake state, and running on binds again', async ({
    page,
  }, testInfo) => {
    await runToEnd(page);
    await page.getByRole('combobox', { name: 'Instance' }).selectOption('cpuapp/ipc0');
    await page.getByRole('list', { name: 'Transition history' }).getByRole('button').last().click();
    await expect(instance(page, 'cpuapp/ipc0')).toHaveAttribute('data-state', 'CONNECTED_SID_ENABLED');
    const atBind = (await debug(page))?.step ?? 0;

    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await expect(instance(page, 'cpuapp/ipc0')).toHaveAttribute('data-state', 'INITIALIZING_SID_ENABLED');
    await expect(page.getByTestId('statechart-live')).toHaveText('cpuapp/ipc0: INITIALIZING_SID_ENABLED');
    await expect(page.getByRole('button', { name: 'State INITIALIZING_SID_ENABLED (current)' })).toBeVisible();
    expect((await debug(page))?.step).toBe(atBind - 1);
    await page.screenshot({ path: testInfo.outputPath('4-before-bind.png') });

    // The recorded future is still there: scrub to the start, then play it again.
    await page.getByRole('slider', { name: 'History' }).fill('0');
    await expect(instance(page, 'cpuapp/ipc0')).toHaveAttribute('data-state', '');
    await runToEnd(page);
    await expect(instance(page, 'cpuapp/ipc0')).toHaveAttribute('data-state', 'CONNECTED_SID_ENABLED');
  });

  test('every playback control has its name, and ? shows the shortcuts', async ({ page }) => {
    for (const name of ['Run', 'Pause', 'Step', 'Step back', 'Reset', 'Run until', 'Keyboard shortcuts']) {
      await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
    }
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Step back one decision');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
    await page.keyboard.press('.');
    await expect.poll(async () => (await debug(page))?.step).toBe(1);

    // A radio group is one tab stop; the arrow keys move the choice.
    await page.getByRole('radio', { name: 'Timeline', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Sequence' })).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByRole('radio', { name: 'Sequence' })).toBeFocused();
  });

  test('the timeline zooms and pans from the keyboard, and clicking on it moves the time cursor', async ({ page }) => {
    await runToEnd(page);
    const window = page.locator('.timeline-window');
    const fitted = await window.textContent();
    const canvas = page.getByRole('application', { name: 'Timeline canvas' });
    await canvas.focus();
    await page.keyboard.press('w');
    await expect(window).not.toHaveText(fitted ?? '');
    const zoomed = await window.textContent();
    await page.keyboard.press('d');
    await expect(window).not.toHaveText(zoomed ?? '');
    await page.keyboard.press('0');
    await expect(window).toHaveText(fitted ?? '');

    // A click in the plot moves the cursor to the last event at or before that time.
    const end = (await debug(page))?.cursor ?? 0;
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no timeline canvas');
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height - 8);
    await expect.poll(async () => (await debug(page))?.cursor).toBeLessThan(end);
  });
});
