import { expect, type Page, test } from '@playwright/test';
import { createPbufPair, toHex } from '../src/core';

async function configure(page: Page, regionSize: number): Promise<void> {
  await page.getByRole('spinbutton', { name: 'Region size' }).fill(String(regionSize));
  await page.getByRole('button', { name: 'Reset region' }).click();
}

async function writeCounting(page: Page, count: number, from: string): Promise<void> {
  await page.getByLabel('Counting bytes length').fill(String(count));
  await page.getByLabel('Counting bytes start').fill(from);
  await page.getByRole('button', { name: 'Fill' }).click();
  await page.getByRole('button', { name: 'pbuf_write' }).click();
}

/** The hex pane's bytes, as shown, from one region offset to another. */
async function shownBytes(page: Page, from: number, to: number): Promise<string> {
  const cells = await page.locator('.hex-grid [data-offset]').allTextContents();
  return cells.slice(from, to).join(' ');
}

test.describe('pbuf demo', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('tab', { name: 'pbuf playground' }).click();
  });

  test('shows the right bytes after a write that wraps', async ({ page }) => {
    await configure(page, 64); // rd_idx@0, wr_idx@4, data[56]@8, stale fill 0xaa
    await writeCounting(page, 28, '00'); // header at data[0], payload data[4..32)
    await page.getByRole('button', { name: 'pbuf_read' }).click();
    await writeCounting(page, 25, 'b0'); // header at data[32]; 20 bytes to the end, 5 wrap to data[0]

    await expect(page.locator('.core-a .last-result')).toContainText(
      'payload wrapped: 20 bytes at the end, 5 at data[0]',
    );
    expect(await shownBytes(page, 0, 8)).toBe('20 00 00 00 08 00 00 00'); // rd_idx 32, wr_idx 8
    expect(await shownBytes(page, 40, 48)).toBe('00 19 00 00 b0 b1 b2 b3'); // header: 25, big-endian
    expect(await shownBytes(page, 60, 64)).toBe('c0 c1 c2 c3'); // last bytes before the end
    expect(await shownBytes(page, 8, 16)).toBe('c4 c5 c6 c7 c8 01 02 03'); // wrapped tail, then untouched padding (old payload)
    await expect(page.getByTestId('writer-local-wr')).toHaveText('8');

    // The page shows exactly what the core computes for the same calls.
    const created = createPbufPair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false, fill: 0xaa });
    if (!created.ok) throw new Error(created.error);
    const { writer, reader } = created.value;
    writer.txInit();
    reader.rxInit();
    writer.write(
      Uint8Array.from({ length: 28 }, (_, i) => i),
      28,
    );
    reader.read(new Uint8Array(128));
    writer.write(
      Uint8Array.from({ length: 25 }, (_, i) => 0xb0 + i),
      25,
    );
    const expected = toHex(created.value.map.bytes.subarray(0, 64));
    expect(await page.evaluate(() => window.__ipcScope?.demoRegionHex())).toBe(expected);
    expect((await shownBytes(page, 0, 64)).replaceAll(' ', '')).toBe(expected);

    // The ring draws the wrapped payload as two arcs and marks both indices.
    await expect(page.locator('[data-testid=ring] path.seg-payload[data-seq="0"]')).toHaveCount(2);
    await expect(page.locator('[data-testid=ring] .marker-wr text')).toHaveText('wr_idx 8');
    await expect(page.locator('[data-testid=ring] .marker-rd text')).toHaveText('rd_idx 32');

    // Reading it back returns the payload in one piece.
    await page.getByRole('button', { name: 'pbuf_read' }).click();
    await expect(page.getByTestId('last-read-hex')).toHaveText(
      Array.from({ length: 25 }, (_, i) => (0xb0 + i).toString(16)).join(' '),
    );
  });

  test('reports -ENOMEM when the FIFO is full and explains an empty read', async ({ page }) => {
    await configure(page, 64);
    await writeCounting(page, 49, '00');
    await expect(page.locator('.core-a .last-result')).toContainText('-ENOMEM (-12)');
    await page.getByRole('button', { name: 'pbuf_read' }).click();
    await expect(page.locator('.core-b .last-result')).toContainText('FIFO empty');
  });

  test('rejects bad input with a clear message and keeps the running region', async ({ page }) => {
    await page.getByRole('textbox', { name: 'Payload' }).fill('de zz');
    await expect(page.getByText('"zz" is not hex')).toBeVisible();
    await expect(page.getByRole('button', { name: 'pbuf_write' })).toBeDisabled();

    await page.getByRole('textbox', { name: 'Payload' }).fill('01 02');
    await page.getByRole('button', { name: 'pbuf_write' }).click();
    await configure(page, 100_000);
    await expect(page.getByRole('alert')).toContainText('limited to 4096 bytes');
    await expect(page.getByTestId('writer-local-wr')).toHaveText('8'); // the packet is still there
  });

  test('shows Zephyr rejecting a handshake word with dcache-alignment below 8', async ({ page }) => {
    await page.getByLabel('handshake word (ICMsg 1.1)').check();
    await page.getByRole('button', { name: 'Reset region' }).click();
    await expect(page.getByText('ICMsg 1.1 needs dcache-alignment ≥ 8')).toBeVisible();
    await page.getByRole('combobox', { name: 'dcache-alignment' }).selectOption('8');
    await page.getByRole('button', { name: 'Reset region' }).click();
    await expect(page.getByText('ICMsg 1.1 needs dcache-alignment ≥ 8')).toBeHidden();
    await expect(page.getByText('handshake @4 · wr_idx @8')).toBeVisible();
  });
});
