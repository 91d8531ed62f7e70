import { describe, expect, it } from 'vitest';
import { type CodegenIo, runCodegen } from './codegenCli';

function io(files: Record<string, string>) {
  const lines: string[] = [];
  const written: Record<string, string> = {};
  const value: CodegenIo = {
    out: (l) => lines.push(l),
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw new Error(`ENOENT: ${p}`);
      return t;
    },
    writeFile: (p, t) => {
      written[p] = t;
    },
    mkdir: () => undefined,
  };
  return { io: value, lines, written };
}

const PORT =
  'port_name: led_port\nmessages:\n  structs:\n    - name: led_set_t\n      fields:\n        - uint8_t led\n        - fwpb_color color\n';

describe('npm run codegen', () => {
  it('writes the headers, layout.json and the TypeScript codecs', () => {
    const t = io({ 'led_ipc.yaml': PORT, 'types.json': '{ "fwpb_color": { "size": 6, "align": 2 } }' });
    expect(runCodegen(['led_ipc.yaml', '--out', 'gen', '--types', 'types.json'], t.io)).toBe(0);
    expect(Object.keys(t.written).sort()).toEqual([
      'gen/ipc_messages.ts',
      'gen/ipc_messages_led_port.h',
      'gen/layout.json',
    ]);
    expect(JSON.parse(t.written['gen/layout.json'] ?? '{}')).toEqual({
      led_set_t: {
        size: 8,
        align: 2,
        fields: [
          { name: 'led', offset: 0, size: 1 },
          { name: 'color', offset: 2, size: 6 },
        ],
      },
    });
  });

  it('prints problems as file:line and writes nothing', () => {
    const t = io({ 'led_ipc.yaml': PORT });
    expect(runCodegen(['led_ipc.yaml', '--out', 'gen'], t.io)).toBe(1);
    expect(t.lines).toEqual([
      'led_ipc.yaml:7: led_set_t.color: C type "fwpb_color" is unknown; declare its size and alignment (a project typedef or a nanopb type such as fwpb_…)',
    ]);
    expect(t.written).toEqual({});
    expect(runCodegen(['led_ipc.yaml'], t.io)).toBe(2);
  });
});
