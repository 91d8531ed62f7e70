import { expect, test } from '@playwright/test';

test.describe('synchronous channels in the topology', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
  });

  test('a deadlock: the tasks, the channels and the wait-for cycle marked, a task selectable', async ({ page }) => {
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('channels-deadlock');
    const topology = page.getByRole('region', { name: 'Topology' });
    // The wiring is known before the run: clients over channels over their servers.
    await expect(topology.getByRole('img', { name: /^Channel chan_a: served by a/ })).toBeVisible();
    await expect(topology.getByRole('img', { name: /^Channel chan_b: served by b/ })).toBeVisible();
    await expect(topology.locator('[data-edge="c1 → chan_a"]')).toHaveAttribute('data-kind', 'call');
    await expect(topology.locator('[data-edge="a → chan_b"]')).toHaveAttribute('data-kind', 'call');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });

    // Each server is send-blocked on the other's channel, each client waits for its server's reply.
    const a = topology.getByRole('button', {
      name: /^Task a, priority 2, server: SEND-BLOCKED → chan_b, in a deadlock$/,
    });
    const b = topology.getByRole('button', {
      name: /^Task b, priority 2, server: SEND-BLOCKED → chan_a, in a deadlock$/,
    });
    await expect(a).toBeVisible();
    await expect(b).toBeVisible();
    await expect(
      topology.getByRole('button', { name: /^Task c1, priority 3, client: REPLY-BLOCKED ← a$/ }),
    ).toBeVisible();
    await expect(
      topology.getByRole('button', { name: /^Task c2, priority 3, client: REPLY-BLOCKED ← b$/ }),
    ).toBeVisible();
    await expect(topology.locator('[data-deadlock="true"]')).toHaveCount(2);

    // The cycle's four edges in the problem colour; the clients' waits drawn back from their servers.
    for (const edge of ['a → chan_b', 'chan_b → b', 'b → chan_a', 'chan_a → a'])
      await expect(topology.locator(`[data-edge="${edge}"]`)).toHaveAttribute('data-status', 'deadlock');
    await expect(topology.locator('[data-edge="c1 → chan_a"]')).toHaveAttribute('data-status', 'idle');
    await expect(topology.locator('[data-edge="a ⇢ c1"]')).toHaveAttribute('data-status', 'reply');
    await expect(topology.locator('[data-edge="b ⇢ c2"]')).toHaveAttribute('data-status', 'reply');
    await expect(topology.getByRole('listitem').filter({ hasText: 'deadlock' })).toContainText(
      'a → chan_b → b → chan_a → a',
    );

    // A task joins the shared selection, from the keyboard too.
    await a.focus();
    await page.keyboard.press('Enter');
    await expect(a).toHaveClass(/selected/);
    await expect(page.getByRole('region', { name: 'Inspector' })).toContainText('serves channel chan_a');
  });
});
