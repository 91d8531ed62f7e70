import { expect, test } from '@playwright/test';

const overlay = (tx: string, rx: string, mboxes: string) => `
reserved-memory {
  sram_a: memory@20070000 { reg = <0x20070000 0x800>; };
  sram_b: memory@20078000 { reg = <0x20078000 0x800>; };
};
ipc {
  ipc0: ipc0 {
    compatible = "zephyr,ipc-icmsg";
    tx-region = <&${tx}>;
    rx-region = <&${rx}>;
    mboxes = ${mboxes};
    mbox-names = "tx", "rx";
    dcache-alignment = <32>;
    unbound = "enable";
  };
};`;

test.describe('scenario editor and gallery', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('tab', { name: 'Scenarios' }).click();
  });

  test('checks the scenario as it is typed, and opens a valid one in the debugger', async ({ page }) => {
    const editor = page.getByRole('textbox', { name: 'Scenario JSON' });
    const text = await editor.inputValue();
    await editor.fill(text.replace('"seed": 1,', '"seed": 1,,'));
    await expect(page.getByRole('alert')).toContainText(/line \d+, column \d+/);
    await expect(page.getByRole('button', { name: 'Open in the debugger' })).toBeDisabled();
    await editor.fill(text.replaceAll('"dcache-alignment": 32', '"dcache-alignment": 4'));
    await expect(page.getByRole('list', { name: 'Problems' })).toContainText(
      'instances[0].dcache-alignment: unbound = enable needs dcache-alignment ≥ 8',
    );
    await editor.fill(text.replace('"seed": 1,', '"seed": 7,'));
    await expect(page.getByRole('status').filter({ hasText: 'valid' })).toBeVisible();
    await page.getByRole('button', { name: 'Open in the debugger' }).click();
    await expect(page.getByRole('tab', { name: 'Debugger' })).toHaveAttribute('aria-selected', 'true');
    const seed = await page.evaluate(() => window.__ipcScope?.debug()?.seed);
    expect(seed).toBe(7);
  });

  test('the gallery opens a preset with its story', async ({ page }) => {
    const card = page.getByRole('region', { name: 'Gallery' }).locator('[data-scenario="f6"]');
    await expect(card).toContainText('Warm reset with stale shared memory');
    await card.getByRole('button', { name: /^Open / }).click();
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('f6');
  });

  test('both cores’ overlays become a scenario that binds; overlays that disagree are explained', async ({ page }) => {
    const dt = page.locator('details.devicetree');
    await dt.getByRole('textbox', { name: 'Core A overlay' }).fill(overlay('sram_a', 'sram_b', '<&mbox 0>, <&mbox 1>'));
    await dt.getByRole('textbox', { name: 'Core B overlay' }).fill(overlay('sram_a', 'sram_b', '<&mbox 1>, <&mbox 0>'));
    await dt.getByRole('button', { name: 'Make a scenario' }).click();
    await expect(dt.getByRole('list', { name: 'Devicetree problems' })).toContainText(
      'cpuapp.ipc0.tx-region: no IPC node of cpurad has 0x20070000 as its rx-region',
    );
    await dt.getByRole('textbox', { name: 'Core B overlay' }).fill(overlay('sram_b', 'sram_a', '<&mbox 1>, <&mbox 0>'));
    await dt.getByRole('button', { name: 'Make a scenario' }).click();
    await expect(dt.getByRole('status')).toContainText('Made a scenario');
    await expect(page.getByRole('status').filter({ hasText: /^valid$/ })).toBeVisible();
    await page.getByRole('button', { name: 'Open in the debugger' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    const endpoints = await page.evaluate(() => window.__ipcScope?.debug()?.endpoints);
    expect(endpoints).toMatchObject({ 'cpuapp/ipc0/ep0': 'bound', 'cpurad/ipc0/ep0': 'bound' });
  });
});
