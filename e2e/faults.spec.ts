import { expect, type Page, test } from '@playwright/test';

async function runToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
}

const faultsPanel = (page: Page) => page.getByRole('region', { name: 'Faults' });
const faultItem = (page: Page, id: string) =>
  page.getByRole('list', { name: 'Fault list' }).locator(`[data-fault="${id}"]`);

test.describe('fault injection and the anomaly list', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('icmsg-hello');
  });

  test('a doorbell dropped by a fault is in the trace, on the timeline and counted in the fault list', async ({
    page,
  }, testInfo) => {
    const panel = faultsPanel(page);
    await panel.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'drop doorbell' });
    await panel.getByRole('combobox', { name: 'Channel' }).selectOption('app_to_rad');
    await panel.getByRole('textbox', { name: 'Count' }).fill('1');
    await panel.getByRole('button', { name: 'Add fault f1' }).click();
    await expect(panel.getByRole('status')).toContainText('Added f1 (drop doorbell on app_to_rad)');
    await expect(faultItem(page, 'f1')).toContainText('acted 0×');

    await runToEnd(page);
    const faults = await page.evaluate(() => window.__ipcScope?.events('fault'));
    expect(faults?.[0]).toMatchObject({ kind: 'fault', fault: 'f1', what: 'doorbell-drop', target: 'app_to_rad' });
    // The timeline draws a band for it (the canvas says which faults it drew).
    await expect(page.getByRole('application', { name: 'Timeline canvas' })).toHaveAttribute(
      'data-fault-bands',
      /\bf1\b/,
    );
    await expect(faultItem(page, 'f1')).toContainText('acted 1×');
    expect(Number(await faultItem(page, 'f1').getAttribute('data-acted'))).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: testInfo.outputPath('0-doorbell-dropped.png') });

    // Disarming is an action at the cursor too; the toggle says what it would do next.
    await page.getByRole('button', { name: 'Disarm fault f1' }).click();
    await expect(page.getByRole('button', { name: 'Arm fault f1' })).toBeVisible();
  });

  test('a quick action kills a core at once', async ({ page }) => {
    await page.getByRole('button', { name: 'Kill cpurad' }).click();
    await runToEnd(page);
    const faults = await page.evaluate(() => window.__ipcScope?.events('fault'));
    expect(faults?.[0]).toMatchObject({ fault: 'f1', what: 'kill', target: 'cpurad' });
    const crashed = await page.evaluate(() => window.__ipcScope?.events('domain'));
    expect(crashed).toContainEqual(expect.objectContaining({ domain: 'cpurad', status: 'crashed' }));
    await expect(faultItem(page, 'f1')).toContainText('acted 1×');
  });

  test('on the worker runtime, a warm reset from the panel restarts the core and its peer is told', async ({
    page,
  }) => {
    await page.getByRole('radiogroup', { name: 'Runtime' }).getByRole('radio', { name: 'Workers' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(
      () => (window.__ipcScope?.run()?.endpoints ?? []).some((e) => e.roundTrips >= 3),
      undefined,
      {
        timeout: 15_000,
      },
    );
    await page.getByRole('button', { name: 'Warm reset cpurad' }).click();
    await page.waitForFunction(
      () => (window.__ipcScope?.events('domain') ?? []).some((e) => e.kind === 'domain' && e.status === 'restarted'),
      undefined,
      { timeout: 15_000 },
    );
    const faults = await page.evaluate(() => window.__ipcScope?.events('fault'));
    expect(faults?.[0]).toMatchObject({ what: 'warm-reset', target: 'cpurad' });
    // unbound = enable: the application core is told its peer's session ended.
    await page.waitForFunction(
      () =>
        (window.__ipcScope?.events('callback') ?? []).some(
          (e) => e.kind === 'callback' && e.domain === 'cpuapp' && e.callback === 'unbound',
        ),
      undefined,
      { timeout: 15_000 },
    );
  });

  test('a fault the schema refuses is explained, nothing is added, and the app keeps working', async ({ page }) => {
    const panel = faultsPanel(page);
    await panel.getByRole('textbox', { name: 'Probability' }).fill('2');
    await panel.getByRole('button', { name: 'Add fault f1' }).click();
    await expect(panel.getByRole('alert')).toContainText('probability:');
    await expect(page.getByRole('list', { name: 'Fault list' })).toHaveCount(0);

    await panel.getByRole('textbox', { name: 'Probability' }).fill('0.5');
    await panel.getByRole('button', { name: 'Add fault f1' }).click();
    await expect(panel.getByRole('alert')).toHaveCount(0);
    await expect(faultItem(page, 'f1')).toContainText('p 0.5');
    await runToEnd(page);
  });

  test('a byte corrupted from the hex pane is a fault, and the anomaly list agrees with the trace', async ({
    page,
  }, testInfo) => {
    await runToEnd(page);
    // wr_idx's low byte: the fault acts when the run next moves, before the next packet is written.
    const hex = page.getByRole('group', { name: 'Bytes of sram_app_to_rad' });
    await hex.locator('[data-offset="32"]').click();
    await page.getByRole('button', { name: 'Corrupt byte 0x20' }).click();
    await expect(page.getByRole('group', { name: 'Faults on byte 0x20 of sram_app_to_rad' })).toContainText('Added f1');

    // Send over the corrupted ring and run on: whatever the checks report is listed, up to the cursor.
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('hello');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await runToEnd(page);
    const faults = await page.evaluate(() => window.__ipcScope?.events('fault'));
    expect(faults?.at(-1)).toMatchObject({ fault: 'f1', what: 'corrupt-byte', target: 'sram_app_to_rad.byte 32' });
    const reported = await page.evaluate(() => {
      const hooks = window.__ipcScope;
      const cursor = hooks?.debug()?.cursor ?? 0;
      return ['violation', 'anomaly', 'assert', 'memory-fault']
        .flatMap((k) => hooks?.events(k) ?? [])
        .filter((e) => e.index < cursor).length;
    });
    const list = page.getByRole('region', { name: 'Anomalies' });
    await expect(list.getByRole('status')).toHaveText(`${reported} ${reported === 1 ? 'anomaly' : 'anomalies'}`);
    if (reported > 0) {
      await expect(list.locator('tbody tr')).toHaveCount(reported);
      // A row moves the time cursor to its event and selects it.
      const row = list.locator('tbody tr').first();
      const seq = Number(await row.getAttribute('data-seq'));
      await row.click();
      await expect
        .poll(() => page.evaluate(() => window.__ipcScope?.debug()?.selection))
        .toEqual({
          kind: 'event',
          seq,
        });
    }
    await page.screenshot({ path: testInfo.outputPath('1-corrupted.png') });
  });

  test('a field-failure preset: F16 leaks blocks and the checker says so at quiescence; the hardened build does not', async ({
    page,
  }) => {
    const anomalies = page.getByRole('region', { name: 'Anomalies' });
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('f16');
    await expect(page.getByText(/F16 · ICBMsg leaks blocks/)).toBeVisible();
    await runToEnd(page);
    const leaked = anomalies.locator('tr[data-source="quiescence"]', { hasText: 'blocks-leaked' });
    await expect(leaked.first()).toBeVisible();
    await expect(leaked.first()).toContainText('error');
    await expect(page.getByText(/leaked blocks/).first()).toBeVisible();
    // The timeline marks where each violation began.
    const marks = await page.getByRole('application', { name: 'Timeline canvas' }).getAttribute('data-violations');
    expect(Number(marks)).toBeGreaterThan(0);
    // The first-event link goes to the send whose blocks leaked.
    await leaked
      .first()
      .getByRole('button', { name: /Go to first event/ })
      .click();
    const selected = await page.evaluate(() => window.__ipcScope?.debug()?.cursor);
    expect(selected).toBeGreaterThan(0);

    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('f16-fixed');
    await runToEnd(page);
    // Hardened: the blocks come back (the data sent to a deregistered endpoint is still lost).
    await expect(anomalies.locator('tr[data-source="quiescence"]', { hasText: 'blocks-leaked' })).toHaveCount(0);
    await expect(
      anomalies.locator('tr[data-source="quiescence"]', { hasText: 'delivered-once' }).first(),
    ).toBeVisible();
  });
});
