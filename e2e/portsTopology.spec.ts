import { expect, type Page, test } from '@playwright/test';

/** Opens a demo from the scenario list and runs it until it finishes (the libipc demos end idle). */
async function runDemo(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(id);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
}

const topology = (page: Page) => page.getByRole('region', { name: 'Topology' });
const task = (page: Page, name: string) => topology(page).locator(`[data-task="${name}"]`);
const edge = (page: Page, label: string) => topology(page).locator(`[data-edge="${label}"]`);

test.describe('libipc ports in the topology, the timeline and the sequence diagram', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
  });

  test('libipc-proto-stale: the tasks and their port with counts; the stale reply in the sequence view', async ({
    page,
  }, testInfo) => {
    await runDemo(page, 'libipc-proto-stale');
    for (const name of ['key_manager_task', 'refresh_task', 'nfc_task']) await expect(task(page, name)).toBeVisible();
    const port = topology(page).locator('[data-port="key_manager_port"]');
    await expect(port).toHaveAttribute('data-depth', '4');
    await expect(port).toHaveAttribute('data-fill', '0');
    // Edges: senders and the proto client into the port, the port out to its receiver.
    await expect(edge(page, 'refresh_task → key_manager_port')).toHaveAttribute('data-count', '3');
    await expect(edge(page, 'nfc_task → key_manager_port')).toHaveAttribute('data-count', '2');
    await expect(edge(page, 'key_manager_task ← key_manager_port')).toHaveAttribute('data-count', '5');
    // At the end key_manager_task waits for its next message; seq 1 timed out and its answer was stale.
    await expect(task(page, 'key_manager_task')).toHaveAttribute('data-waiting', 'recv');
    await expect(topology(page).getByLabel('1 failed on key_manager_port')).toBeVisible();
    await expect(topology(page).getByLabel('1 failed in nfc_task')).toBeVisible();

    await port.click();
    expect(await page.evaluate(() => window.__ipcScope?.debug()?.selection)).toEqual({
      kind: 'port',
      name: 'key_manager_port',
    });
    await task(page, 'nfc_task').click();
    expect(await page.evaluate(() => window.__ipcScope?.debug()?.selection)).toEqual({
      kind: 'task',
      name: 'nfc_task',
    });
    await topology(page).screenshot({ path: testInfo.outputPath('0-topology.png') });

    await page.getByRole('radio', { name: 'Sequence' }).click();
    const diagram = page.getByRole('group', { name: 'Sequence diagram' });
    await expect(diagram.getByText('nfc_task', { exact: true })).toBeVisible();
    const stale = diagram.locator('[data-reply-seq="1"]');
    await expect(stale).toHaveAttribute('data-stale', 'true');
    await expect(stale).toHaveAccessibleName('reply seq 1 stale: dropped from key_manager_task to nfc_task');
    await expect(diagram.locator('[data-reply-seq="2"]')).toHaveAttribute('data-stale', 'false');
    await expect(
      diagram.getByRole('button', { name: 'no response for seq 1: retired on mcu/libipc:nfc_task' }),
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('1-sequence.png') });
  });

  test('back at the first command in flight, nfc_task waits for its response', async ({ page }) => {
    await runDemo(page, 'libipc-proto-stale');
    await page.getByRole('slider', { name: 'History' }).fill('8');
    await expect(task(page, 'nfc_task')).toHaveAttribute('data-waiting', 'response');
    await expect(edge(page, 'nfc_task → key_manager_port')).toHaveAttribute('data-count', '1');
  });

  test('libipc-ui-polling: senders blocked on the full queue make bands on the timeline', async ({ page }) => {
    await runDemo(page, 'libipc-ui-polling');
    const bands = await page.getByRole('application', { name: 'Timeline canvas' }).getAttribute('data-blocked-bands');
    expect(Number(bands)).toBeGreaterThan(0);
    await expect(topology(page).locator('[data-port="ui_port"]')).toHaveAttribute('data-depth', '10');
  });
});
