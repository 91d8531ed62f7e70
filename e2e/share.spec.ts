import { expect, test } from '@playwright/test';

test.describe('share links', () => {
  test('Share puts the scenario in the link; opening the link opens the same scenario', async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('f6');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /Link of \d+ characters/ })).toBeVisible();
    const url = page.url();
    expect(url).toMatch(/#s=1\./);
    expect(url.length).toBeLessThan(2000);

    const other = await page.context().newPage();
    await other.goto(url);
    await other.evaluate(() => window.__ipcScope?.waitForIdle());
    await expect(other.getByRole('combobox', { name: 'Scenario' })).toHaveValue('f6');
    await expect(other.getByRole('alert')).toHaveCount(0);
  });

  test('a deep link opens at its decision with its selection', async ({ page }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    for (let i = 0; i < 20; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('button', { name: 'Endpoint cpurad/ipc0/ep0: bound' }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const url = page.url();
    expect(url).toMatch(/&at=20&sel=/);
    const other = await page.context().newPage();
    await other.goto(url);
    await other.evaluate(() => window.__ipcScope?.waitForIdle());
    await other.waitForFunction(() => window.__ipcScope?.debug()?.step === 20, undefined, { timeout: 10_000 });
    const selection = await other.evaluate(() => window.__ipcScope?.debug()?.selection);
    expect(selection).toEqual({ kind: 'endpoint', key: 'cpurad/ipc0/ep0' });
    await expect(other.getByRole('button', { name: 'Endpoint cpurad/ipc0/ep0: bound' })).toHaveClass(/selected/);
  });

  test('a damaged link is explained in an alert and the app opens its demo', async ({ page }) => {
    await page.goto('/?testing=1#s=1.this-is-not-a-scenario');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await expect(page.getByRole('alert')).toContainText('This share link cannot be opened');
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('icmsg-hello');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Dismiss the link message' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('files', () => {
  test('export the trace for Perfetto, open a scenario file, and a bad file is explained', async ({
    page,
  }, testInfo) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export for Perfetto' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.perfetto\.json$/);
    const saved = testInfo.outputPath('trace.perfetto.json');
    await download.saveAs(saved);
    const { readFileSync } = await import('node:fs');
    const trace = JSON.parse(readFileSync(saved, 'utf8')) as { traceEvents: { ph: string }[] };
    expect(trace.traceEvents.some((e) => e.ph === 'X')).toBe(true);

    const files = page.getByRole('group', { name: 'Files' });
    await files.getByLabel('Scenario file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"version": 1}'),
    });
    await expect(files.getByRole('alert')).toContainText('broken.json is not a valid scenario');
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('icmsg-hello');

    const [scenarioDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export scenario' }).click(),
    ]);
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('f6');
    const path = testInfo.outputPath('hello.json');
    await scenarioDownload.saveAs(path);
    await files.getByLabel('Scenario file').setInputFiles(path);
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('icmsg-hello');
    await expect(files.getByRole('alert')).toHaveCount(0);
  });

  test('the current view as PNG and SVG', async ({ page }, testInfo) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, { timeout: 15_000 });
    const { readFileSync } = await import('node:fs');
    const save = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      const path = testInfo.outputPath(download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const png = await save('Timeline as PNG');
    expect(png.name).toBe('timeline.png');
    expect(Array.from(png.bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    for (const [button, name, text] of [
      ['Topology as SVG', 'topology.svg', 'CONNECTED_SID_ENABLED'],
      ['Statechart as SVG', 'statechart.svg', 'INITIALIZING_SID_ENABLED'],
    ] as const) {
      const svg = await save(button);
      expect(svg.name).toBe(name);
      const body = svg.bytes.toString('utf8');
      expect(body).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(body).toContain('<style>');
      expect(body).toContain(text);
    }
  });
});
