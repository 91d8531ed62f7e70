import { expect, type Page, test } from '@playwright/test';

/** The run panel's figures for one endpoint. */
async function endpoint(page: Page, key: string) {
  const row = page.locator(`[data-endpoint="${key}"]`);
  const field = async (name: string) => Number(await row.locator(`[data-field="${name}"]`).textContent());
  return {
    sent: await field('sent'),
    received: await field('received'),
    inOrder: await field('inOrder'),
    gaps: await field('gaps'),
    corrupted: await field('corrupted'),
  };
}

test.describe('one scenario on both runtimes', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page
      .getByRole('combobox', { name: 'Scenario' })
      .selectOption({ label: 'Two-core ICMsg echo, 500 round trips' });
  });

  for (const runtime of ['Inline', 'Workers'] as const) {
    test(`the two-core echo delivers every message on the ${runtime} runtime`, async ({ page }) => {
      await page.getByRole('radiogroup', { name: 'Runtime' }).getByRole('radio', { name: runtime }).click();
      await expect(page.getByRole('radio', { name: runtime })).toHaveAttribute('aria-checked', 'true');
      await expect(page.getByTestId('scenario-runtime')).toContainText(`"mode":"${runtime.toLowerCase()}"`);
      await page.getByRole('button', { name: 'Run', exact: true }).click();

      // 500 pings, each echoed: wait on the real condition, never on time.
      await page.waitForFunction(
        () => {
          const view = window.__ipcScope?.run();
          const ping = view?.endpoints.find((e) => e.domain === 'cpuapp');
          return ping !== undefined && ping.roundTrips >= 500;
        },
        undefined,
        { timeout: 20_000 },
      );
      const ping = await endpoint(page, 'cpuapp/ipc0/ep0');
      const echo = await endpoint(page, 'cpurad/ipc0/ep0');
      expect(ping).toEqual({ sent: 500, received: 500, inOrder: 500, gaps: 0, corrupted: 0 });
      expect(echo.received).toBe(500);
      expect(echo.sent).toBe(500);
      const view = await page.evaluate(() => window.__ipcScope?.run());
      expect(view?.mode).toBe(runtime.toLowerCase());
      expect(view?.domains.map((d) => d.status)).not.toContain('crashed');
    });
  }

  test('the worker trace mode is recorded in the scenario, and a counters-only run still counts every message', async ({
    page,
  }) => {
    await page.getByRole('radio', { name: 'Workers' }).click();
    await page.getByRole('combobox', { name: 'Trace' }).selectOption('counters');
    await expect(page.getByTestId('scenario-runtime')).toContainText('"tracing":"counters"');
    await expect(page.getByTestId('scenario-runtime')).toContainText('"mode":"workers"');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => (window.__ipcScope?.run()?.endpoints[0]?.roundTrips ?? 0) >= 500, undefined, {
      timeout: 20_000,
    });
    expect(await endpoint(page, 'cpuapp/ipc0/ep0')).toEqual({
      sent: 500,
      received: 500,
      inOrder: 500,
      gaps: 0,
      corrupted: 0,
    });
  });

  for (const runtime of ['Inline', 'Workers'] as const) {
    test(`a two-core, three-endpoint ICBMsg scenario binds and round-trips on the ${runtime} runtime`, async ({
      page,
    }) => {
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('icbmsg-three-endpoints');
      await page.getByRole('radiogroup', { name: 'Runtime' }).getByRole('radio', { name: runtime }).click();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      // Each of the three endpoints has a pinging side: five round trips each, every one intact.
      await page.waitForFunction(
        () => (window.__ipcScope?.run()?.endpoints ?? []).filter((e) => e.roundTrips >= 5).length === 3,
        undefined,
        { timeout: 20_000 },
      );
      const view = await page.evaluate(() => window.__ipcScope?.run());
      expect(view?.endpoints).toHaveLength(6);
      // Each endpoint ran its own binding machine, with Zephyr's state names.
      await page.getByRole('button', { name: 'Endpoint cpurad/ipc0/hci: bound' }).click();
      await expect(page.getByTestId('statechart-live')).toHaveText('cpurad/ipc0/hci: EPT_READY · EPT_NORMAL');
      // The block map, read from the trace on both runtimes: blocks taken and freed as messages
      // went, every block back with its sender at the end.
      const blocks = await page.evaluate(() => window.__ipcScope?.events('blocks') ?? []);
      expect(blocks.filter((e) => e.kind === 'blocks' && e.use === 'data').length).toBeGreaterThanOrEqual(30);
      expect(blocks.filter((e) => e.kind === 'blocks' && e.use === 'free').length).toBeGreaterThanOrEqual(30);
      await expect(page.getByText('Blocks of sram_app_to_rad: 16 free of 16')).toBeVisible();
      // The instance's own machine: opened, then bound with its control link.
      await page.getByRole('button', { name: 'Instance cpuapp/ipc0: CONTROL_BOUNDED' }).click();
      await expect(page.getByTestId('statechart-live')).toHaveText('cpuapp/ipc0: CONTROL_BOUNDED');
      for (const e of view?.endpoints ?? []) {
        expect({
          key: `${e.domain}/${e.name}`,
          sent: e.sent,
          received: e.received,
          gaps: e.gaps,
          corrupted: e.corrupted,
        }).toEqual({
          key: `${e.domain}/${e.name}`,
          sent: 5,
          received: 5,
          gaps: 0,
          corrupted: 0,
        });
      }
    });
  }
});
