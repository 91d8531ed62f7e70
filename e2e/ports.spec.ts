import { expect, type Page, test } from '@playwright/test';

async function runToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
}

const portsPanel = (page: Page) => page.getByRole('region', { name: 'Ports' });

test.describe('the Ports panel (libipc)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
  });

  test('UI polling: ui_port fills to its depth of 10, and a message block shows its ui_event_t decoded in the inspector', async ({
    page,
  }, testInfo) => {
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('libipc-ui-polling');
    await runToEnd(page);
    const ports = portsPanel(page);
    await expect(ports.getByRole('combobox', { name: 'Port' })).toHaveValue('ui_port');
    await expect(ports).toContainText('depth 10');
    // The libipc area is no ICMsg ring: the ring inspector leaves the space to the Ports panel.
    await expect(page.getByRole('region', { name: 'Ring inspector' })).toHaveCount(0);
    // The fill level reached the depth, as the trace's port events report it.
    await expect(ports.getByTestId('ports-peak')).toHaveText('10');
    const fills = await page.evaluate(
      () =>
        window.__ipcScope?.events('port').flatMap((e) => (e.kind === 'port' && e.fill !== undefined ? [e.fill] : [])) ??
        [],
    );
    expect(Math.max(...fills)).toBe(10);
    await page.screenshot({ path: testInfo.outputPath('0-finished.png') });

    // Message #12 is auth_task's 11th event: it was sent into a full queue.
    await ports.getByRole('button', { name: /^Message #12: IPC_UI_EVENT from auth_task$/ }).click();
    const decoded = page.getByRole('region', { name: 'Inspector' }).getByRole('group', { name: 'Decoded ui_event_t' });
    await expect(decoded).toBeVisible();
    // At the end of the run its mempool copy is freed (zeroed): the inspector says so.
    await expect(decoded).toContainText('freed');

    await ports.getByRole('button', { name: 'Go to send' }).click();
    await expect(ports.getByTestId('ports-fill')).toHaveText('10/10');
    await expect(ports.getByRole('list', { name: 'Items in ui_port' }).getByRole('listitem')).toHaveCount(10);
    await expect(decoded.locator('[data-field="event"] dd')).toHaveText('7');
    await expect(decoded.locator('[data-field="sequence"] dd')).toHaveText(/^11\b/);
    await expect(decoded).not.toContainText('freed');
    await page.screenshot({ path: testInfo.outputPath('1-at-send.png') });

    await ports.getByRole('button', { name: 'Go to receive' }).click();
    await expect(ports.getByTestId('ports-fill')).not.toHaveText('10/10');
    await expect(decoded.locator('[data-field="sequence"] dd')).toHaveText(/^11\b/);
  });
});

test.describe('libipc ports across two cores, on worker threads', () => {
  test('the radio core streams 400 reports to ui_port and 20 proto commands are answered', async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('libipc-two-cores');
    await page.getByRole('radio', { name: 'Workers' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // Worker threads never go idle on their own: wait for what the trace says.
    await page.waitForFunction(
      () => {
        const ports = window.__ipcScope?.events('port') ?? [];
        const reports = ports.filter((e) => e.kind === 'port' && e.op === 'recv' && e.port === 'ui_port').length;
        const answered = ports.filter((e) => e.kind === 'port' && e.op === 'done' && e.task === 'nfc_task').length;
        return reports === 400 && answered === 20;
      },
      undefined,
      { timeout: 20_000 },
    );
    const events = await page.evaluate(() => window.__ipcScope?.events('port') ?? []);
    const sent = events
      .filter((e) => e.kind === 'port' && e.op === 'send' && e.port === 'ui_port')
      .map((e) => (e.kind === 'port' ? e.msgId : 0));
    const received = events
      .filter((e) => e.kind === 'port' && e.op === 'recv' && e.port === 'ui_port')
      .map((e) => (e.kind === 'port' ? e.msgId : 0));
    // Every report once, in the order it entered the queue, across two threads.
    expect(received).toEqual(sent);
    await expect(page.getByRole('region', { name: 'Topology' })).toContainText('400 received');
  });
});
