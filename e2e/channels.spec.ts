import { expect, test } from '@playwright/test';

test.describe('synchronous channels', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
  });

  test('a deadlock: the task table shows who waits on whom, and the anomaly list names the cycle', async ({ page }) => {
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('channels-deadlock');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    const tasks = page.getByRole('region', { name: 'Channel tasks' });
    await expect(tasks.getByRole('row', { name: /^0 a 0 2 SEND-BLOCKED → chan_b/ })).toBeVisible();
    await expect(tasks.getByRole('row', { name: /^1 b 0 2 SEND-BLOCKED → chan_a/ })).toBeVisible();
    await expect(tasks.getByRole('row', { name: /^2 c1 0 3 REPLY-BLOCKED ← a/ })).toBeVisible();
    const anomalies = page.getByRole('region', { name: 'Anomalies' });
    await expect(anomalies).toContainText('deadlock');
    await expect(anomalies).toContainText('a → b');
  });

  test('a server restart: the new generation in the table, and the inspector for a selected task', async ({ page }) => {
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('channels-server-restart');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    const tasks = page.getByRole('region', { name: 'Channel tasks' });
    await expect(tasks.getByRole('row', { name: /^0 kv 1 2 RECEIVE-BLOCKED \(open\) on kv/ })).toBeVisible();
    const dead = await page.evaluate(
      () => (window.__ipcScope?.events('channel') ?? []).filter((e) => e.kind === 'channel' && e.op === 'dead').length,
    );
    expect(dead).toBe(2);
    await tasks.getByRole('row', { name: /^0 kv/ }).click();
    await expect(page.getByRole('region', { name: 'Inspector' })).toContainText('serves channel kv');
  });

  test('a task faulted from the fault panel: FAULTED, then restarted by its supervisor with a new generation', async ({
    page,
  }) => {
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('channels-client-server');
    const panel = page.getByRole('region', { name: 'Faults' });
    await panel
      .getByRole('combobox', { name: 'Kind' })
      .selectOption({ label: 'fault a task (its supervisor restarts it)' });
    await panel.getByRole('combobox', { name: 'Task' }).selectOption('fs');
    await panel.getByRole('textbox', { name: 'Restart after µs' }).fill('300');
    await panel.getByRole('textbox', { name: 'At µs' }).fill('112');
    await panel.getByRole('button', { name: 'Add fault f1' }).click();
    await expect(panel.getByRole('status')).toContainText('Added f1');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    const tasks = page.getByRole('region', { name: 'Channel tasks' });
    // fs lives again in generation 1, and both callers got the dead code and called again.
    await expect(tasks.getByRole('row', { name: /^0 fs 1 2 / })).toBeVisible();
    const ops = await page.evaluate(() =>
      (window.__ipcScope?.events('channel') ?? []).flatMap((e) =>
        e.kind === 'channel' && (e.op === 'dead' || e.op === 'restart' || e.state === 'FAULTED')
          ? [`${e.task}:${e.op}`]
          : [],
      ),
    );
    expect(ops.slice(0, 4)).toEqual(['fs:state', 'fs:restart', 'log:dead', 'ui:dead']);
  });
});
