import { expect, test } from '@playwright/test';

/**
 * The timeline's channel task rows (src/app/panels/Timeline/taskLanes.ts), read from what the
 * renderer leaves on the canvas host's dataset (taskRows.ts) and from the tooltip a row gives.
 */
test('channel tasks get a row each on the timeline: state bars, messages between the rows, a tooltip per state', async ({
  page,
}) => {
  await page.goto('/?testing=1');
  await page.evaluate(() => window.__ipcScope?.waitForIdle());
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('channels-client-server');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });

  const canvas = page.getByRole('application', { name: 'Timeline canvas' });
  // One row per task, in order of first appearance.
  await expect(canvas).toHaveAttribute('data-task-lanes', 'fs ui log timer');
  // The server waits for requests, its clients for replies, the timer for its notification.
  const states = ((await canvas.getAttribute('data-task-states')) ?? '').split(' ');
  expect(states).toEqual(expect.arrayContaining(['RECEIVE_BLOCKED', 'REPLY_BLOCKED', 'RUNNING', 'NOTIFICATION_WAIT']));
  // Every request and reply runs between two task rows; half of them are replies.
  const arrows = Number(await canvas.getAttribute('data-task-arrows'));
  expect(arrows).toBeGreaterThan(0);
  expect(Number(await canvas.getAttribute('data-reply-arrows'))).toBe(arrows / 2);

  // The timer's row, half way through the run: no arrow crosses it, so the pointer is on a bar.
  const ys = ((await canvas.getAttribute('data-task-lane-y')) ?? '').split(' ').map(Number);
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no timeline canvas');
  const plotLeft = 132;
  await page.mouse.move(box.x + plotLeft + (box.width - plotLeft - 12) * 0.5, box.y + (ys[3] ?? NaN));
  await expect(page.getByRole('tooltip')).toContainText('timer: is NOTIFICATION_WAIT');

  // A trace without channel events has no task rows.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('libipc-ui-polling');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
  await expect(canvas).toHaveAttribute('data-task-lanes', '');
  await expect(canvas).toHaveAttribute('data-task-bars', '0');
});
