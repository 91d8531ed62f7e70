import { expect, test } from '@playwright/test';

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
});
