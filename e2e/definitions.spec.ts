import { expect, test } from '@playwright/test';

test.describe('libipc definitions editor', () => {
  test('edits a demo’s *_ipc.yaml: a new tag in the header, a bad struct name by line, applied to the scenario', async ({
    page,
  }) => {
    await page.goto('/?testing=1');
    await page.evaluate(() => window.__ipcScope?.waitForIdle());
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('libipc-proto-stale');
    await page.getByRole('tab', { name: 'Ports' }).click();

    const editor = page.getByRole('textbox', { name: 'key_manager_ipc.yaml YAML' });
    const header = page.getByLabel('Generated ipc_messages_key_manager_port.h');
    await expect(header).toContainText('IPC_KEY_MANAGER_REFRESH,');
    const text = await editor.inputValue();

    // A struct more: its tag comes after the structs before it and before the protos.
    const added = text.replace(
      '  protos:',
      '    - name: key_manager_wipe_t\n      fields:\n        - uint8_t slot\n  protos:',
    );
    await editor.fill(added);
    await expect(header).toContainText(/IPC_KEY_MANAGER_WIPE,\s+\/\/ 1/);
    await expect(page.getByRole('table', { name: 'Tags' })).toContainText('IPC_PROTO_SIGN_DIGEST_CMD2proto');

    // A struct name without _t: the issue names the file and the line, and the line is marked.
    await editor.fill(added.replace('key_manager_wipe_t', 'key_manager_wipe'));
    const problems = page.getByRole('list', { name: 'Definition problems' });
    await expect(problems).toContainText(/key_manager_ipc\.yaml:\d+: struct name "key_manager_wipe" must end in _t/);
    const issue = (await problems.textContent()) ?? '';
    const line = Number(/key_manager_ipc\.yaml:(\d+):/.exec(issue)?.[1]);
    expect(added.split('\n')[line - 1]).toContain('key_manager_wipe_t');
    await problems.getByRole('button').first().click();
    const caretLine = await editor.evaluate(
      (t: HTMLTextAreaElement) => t.value.slice(0, t.selectionStart).split('\n').length,
    );
    expect(caretLine).toBe(line);

    // Fixed again, and applied: the debugger reopens the scenario with the new definitions.
    await editor.fill(added);
    await expect(problems).toBeHidden();
    await page.getByRole('button', { name: 'Apply to scenario' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Applied' })).toBeVisible();
    await page.getByRole('button', { name: 'Show in the debugger' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__ipcScope?.debug()?.status === 'finished', undefined, {
      timeout: 15_000,
    });
  });
});
