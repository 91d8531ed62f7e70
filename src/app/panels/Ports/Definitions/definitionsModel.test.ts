import { describe, expect, it } from 'vitest';
import { formatIssue, ICMSG_HELLO, LIBIPC_PROTO_STALE, parseScenario } from '../../../../core';
import {
  applyDraft,
  checkDraft,
  declaredTypes,
  type Draft,
  draftChanged,
  draftFromScenario,
  fileNameProblem,
  generatedOutput,
  issuesOf,
  lineOffset,
  newFileName,
  newFileText,
  portOf,
  structRows,
  tagTable,
  TEMPLATE_FILE,
} from './definitionsModel';

const protoStale = (): Draft => draftFromScenario(LIBIPC_PROTO_STALE).draft;

/** The proto-stale demo's key_manager_ipc.yaml with `edit` applied to its text. */
function editKeyManager(edit: (text: string) => string): Draft {
  const draft = protoStale();
  return { ...draft, files: draft.files.map((f) => ({ ...f, text: edit(f.text) })) };
}

const ADD_STRUCT = (text: string) =>
  text.replace('  protos:', '    - name: key_manager_wipe_t\n      fields:\n        - uint8_t slot\n  protos:');

describe('the libipc definitions editor model', () => {
  it('starts from the scenario’s files, or from the template when it has none', () => {
    const stale = draftFromScenario(LIBIPC_PROTO_STALE);
    expect(stale.fromScenario).toBe(true);
    expect(stale.draft.files.map((f) => f.file)).toEqual(['key_manager_ipc.yaml']);
    const hello = draftFromScenario(ICMSG_HELLO);
    expect(hello.fromScenario).toBe(false);
    expect(hello.draft.files).toEqual([TEMPLATE_FILE]);
    expect(draftChanged(stale.draft, LIBIPC_PROTO_STALE)).toBe(false);
    expect(draftChanged(editKeyManager(ADD_STRUCT), LIBIPC_PROTO_STALE)).toBe(true);
  });

  it('the template parses with no issues and generates a header with its enum', () => {
    const check = checkDraft({ files: [TEMPLATE_FILE], types: [] });
    expect(check.issueCount).toBe(0);
    const header = generatedOutput(check, TEMPLATE_FILE.file, 'header');
    if (typeof header === 'string') throw new Error(header);
    expect(header.name).toBe('ipc_messages_example_port.h');
    expect(header.text).toContain('typedef enum {');
    expect(header.text).toContain('} ipc_example_port_msg_t;');
    expect(header.text).toMatch(/IPC_EXAMPLE_LED_SET,\s+\/\/ 0/);
    expect(header.text).toMatch(/IPC_PROTO_EXAMPLE_RESET_CMD,\s+\/\/ 4/);
  });

  it('numbers tags as libipc does: structs, then protos, then the END tag', () => {
    const check = checkDraft(editKeyManager(ADD_STRUCT));
    const port = check.definitions[0];
    if (!port) throw new Error('no port');
    expect(tagTable(port).map((t) => `${t.name} = ${t.value}`)).toEqual([
      'IPC_KEY_MANAGER_REFRESH = 0',
      'IPC_KEY_MANAGER_WIPE = 1',
      'IPC_PROTO_SIGN_DIGEST_CMD = 2',
      'IPC_PROTO_DERIVE_KEY_CMD = 3',
      'IPC_KEY_MANAGER_PORT_END = 4',
    ]);
    const rows = structRows(port, check.structs);
    expect(rows.map((r) => [r.name, r.layout?.size, r.layout?.align])).toEqual([
      ['key_manager_refresh_t', 4, 4],
      ['key_manager_wipe_t', 1, 1],
    ]);
  });

  it('maps each issue to its file and line', () => {
    const second = {
      file: 'other_ipc.yaml',
      text: 'port_name: other_port\nmessages:\n  protos:\n    - name: fwpb_sign_digest_cmd\n      auth: never\n',
    };
    const draft = editKeyManager((t) => t.replace('name: key_manager_refresh_t', 'name: key_manager_refresh'));
    const check = checkDraft({ ...draft, files: [...draft.files, second] });
    expect(issuesOf(check, 'key_manager_ipc.yaml').map(formatIssue)).toEqual([
      'key_manager_ipc.yaml:4: struct name "key_manager_refresh" must end in _t (the tag is the name without it)',
    ]);
    // The first file does not parse, so the proto is the other file's alone: no clash yet.
    expect(issuesOf(check, 'other_ipc.yaml')).toEqual([]);
    const both = checkDraft({ ...protoStale(), files: [...protoStale().files, second] });
    expect(issuesOf(both, 'other_ipc.yaml').map(formatIssue)).toEqual([
      'other_ipc.yaml:4: proto fwpb_sign_digest_cmd is already routed to key_manager_port (key_manager_ipc.yaml): a proto belongs to one port',
    ]);
    expect(both.issueCount).toBe(1);
  });

  it('keeps the last good header of a broken file, saying so', () => {
    const good = checkDraft(editKeyManager(ADD_STRUCT));
    const broken = checkDraft(
      editKeyManager((t) => ADD_STRUCT(t).replace('key_manager_wipe_t', 'key_manager_wipe')),
      good,
    );
    const header = generatedOutput(broken, 'key_manager_ipc.yaml', 'header');
    if (typeof header === 'string') throw new Error(header);
    expect(header.text).toContain('IPC_KEY_MANAGER_WIPE,');
    expect(header.note).toMatch(/before the last edit/);
    const port = portOf(broken, 'key_manager_ipc.yaml');
    expect(port?.stale).toBe(true);
    expect([...(port?.structs.keys() ?? [])]).toEqual(['key_manager_refresh_t', 'key_manager_wipe_t']);
    expect(portOf(good, 'key_manager_ipc.yaml')?.stale).toBe(false);
    expect(generatedOutput(checkDraft(editKeyManager((t) => `${t}\n  : :`)), 'key_manager_ipc.yaml', 'header')).toMatch(
      /has problems/,
    );
    const ts = generatedOutput(broken, 'key_manager_ipc.yaml', 'typescript');
    expect(typeof ts !== 'string' && ts.note).toMatch(/Leaves out key_manager_ipc.yaml/);
  });

  it('accepts a firmware type once it is declared, and checks the declarations', () => {
    const draft = editKeyManager((t) =>
      t.replace('- uint32_t sequence', '- uint32_t sequence\n        - fwpb_key_info info'),
    );
    const unknown = checkDraft(draft);
    expect(unknown.unknownTypes).toEqual(['fwpb_key_info']);
    expect(issuesOf(unknown, 'key_manager_ipc.yaml')[0]?.message).toMatch(
      /"fwpb_key_info" is unknown; declare its size/,
    );
    const declared = checkDraft({ ...draft, types: [{ name: 'fwpb_key_info', size: '12', align: '4' }] });
    expect(declared.issueCount).toBe(0);
    expect(declared.structs.get('key_manager_refresh_t')?.size).toBe(16);
    expect(
      declaredTypes([
        { name: 'uint8_t', size: '1', align: '1' },
        { name: 'x', size: '3', align: '2' },
        { name: 'y', size: 'a', align: '1' },
        { name: '', size: '1', align: '1' },
      ]).issues,
    ).toEqual([
      'type 1 (uint8_t): uint8_t is a C type already known',
      'type 2 (x): size 3 is not a multiple of its align 2',
      'type 3 (y): size is a whole number of bytes, 0 to 65536',
      'type 4: needs a name',
    ]);
  });

  it('applies an edit the scenario accepts: the proto-stale demo with one more struct', () => {
    const applied = applyDraft(LIBIPC_PROTO_STALE, editKeyManager(ADD_STRUCT));
    if (!applied.ok) throw new Error(applied.issues.map((i) => i.message).join('\n'));
    const parsed = parseScenario(applied.scenario);
    expect(parsed.ok).toBe(true);
    expect(applied.scenario.libipc?.definitions[0]?.text).toContain('key_manager_wipe_t');
    expect(applied.scenario.libipc?.tasks).toEqual(LIBIPC_PROTO_STALE.libipc?.tasks);
  });

  it('refuses a broken edit with the scenario’s reasons, and changes nothing', () => {
    const broken = applyDraft(
      LIBIPC_PROTO_STALE,
      editKeyManager((t) => t.replace('key_manager_refresh_t', 'key_manager_reload_t')),
    );
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.issues).toContainEqual({
        path: 'libipc.tasks[1].behaviour.message',
        message: 'key_manager_refresh_t is not a message of key_manager_port (key_manager_ipc.yaml)',
      });
    const badName = applyDraft(
      LIBIPC_PROTO_STALE,
      editKeyManager((t) => t.replace('refresh_t', 'refresh')),
    );
    expect(!badName.ok && badName.issues.map((i) => `${i.path}: ${i.message}`)[0]).toMatch(
      /^libipc\.definitions: key_manager_ipc\.yaml:4: struct name "key_manager_refresh" must end in _t/,
    );
    expect(applyDraft(ICMSG_HELLO, { files: [TEMPLATE_FILE], types: [] }).ok).toBe(false);
    expect(LIBIPC_PROTO_STALE.libipc?.definitions[0]?.text).not.toContain('reload');
  });

  it('names files as libipc globs them, and makes new ones that parse', () => {
    expect(fileNameProblem('foo_ipc.yaml', [])).toBeNull();
    expect(fileNameProblem('foo.yaml', [])).toMatch(/\*ipc\.yaml/);
    expect(fileNameProblem('foo_ipc.yaml', ['foo_ipc.yaml'])).toMatch(/already/);
    const name = newFileName(['new_ipc.yaml']);
    expect(name).toBe('new2_ipc.yaml');
    const check = checkDraft({ files: [{ file: name, text: newFileText(name) }], types: [] });
    expect(check.issueCount).toBe(0);
    expect(check.definitions[0]?.portName).toBe('new2_port');
  });

  it('finds the start of a line for the caret', () => {
    const text = 'a\n  b\nc';
    expect(lineOffset(text, 1)).toBe(0);
    expect(lineOffset(text, 2)).toBe(4);
    expect(lineOffset(text, 9)).toBe(text.length);
  });
});
