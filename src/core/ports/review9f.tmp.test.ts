// Review 9, batch F: odd definition texts and tasks must give issues, never throw.
import { it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { buildWorld } from '../scenario/build';
import { rx, scenario, tx } from './review9h';

const texts = [
  'port_name: [1, 2]',
  'messages: 5',
  'port_name: foo_port\nmessages:\n  structs: 7',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields: [1, {a: b}, null]',
  'a: &a [*a]\nport_name: foo_port',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint8_t x[4294967295]',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint8_t x[99999999999999999999]',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint8_t x[0]',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint32_t x[65536][65536]',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - foo_msg_t self',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint8_t x\n        - uint8_t x',
  'port_name: foo_port\nmessages:\n  protos:\n    - name: fwpb_x\n      auth: 3',
  '\u0000\u0001',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint8_t *p\n        - const char * const q\n        - struct { int a; } s',
  'port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - uint32_t sequence\n    - name: toString_t\n    - name: __proto___t',
];

it('F odd definitions: each gives issues or a plan, never a throw', () => {
  for (const text of texts) {
    const base = scenario([rx(), tx({ values: {}, counter: undefined })]);
    const input = { ...base, libipc: { ...base.libipc!, definitions: [{ file: 'foo_ipc.yaml', text }] } };
    try {
      const p = parseScenario(input);
      let built = '';
      if (p.ok) {
        const b = buildWorld(p.value);
        built = b.ok ? `built; run ${b.value.sim.run({ maxSteps: 200 })}` : `build issues: ${b.error.map((e) => e.message).join('; ')}`;
      }
      console.log(JSON.stringify(text.slice(0, 60)), '->', p.ok ? `ok; ${built}` : p.error.map((e) => `${e.path}: ${e.message}`).join(' | ').slice(0, 220));
    } catch (e) {
      console.log(JSON.stringify(text.slice(0, 60)), '-> THREW', (e as Error).message);
    }
  }
});

it('F2 task and value oddities', () => {
  const cases: [string, object][] = [
    ['values: array longer than the field', { values: { text: Array(5000).fill(65) } }],
    ['values: nested array for char', { values: { text: [[1]] } }],
    ['counter on a char[]', { counter: 'text' }],
    ['counter on a 64-bit field', { counter: 'big' }],
    ['periodUs tiny', { periodUs: 1e-9, count: 3 }],
    ['values key __proto__', { values: JSON.parse('{"__proto__": 5}') }],
    ['values key toString', { values: { toString: 5 } }],
  ];
  for (const [what, b] of cases) {
    const input = scenario([rx(), tx(b)]);
    try {
      const p = parseScenario(input);
      let built = '';
      if (p.ok) {
        const w = buildWorld(p.value);
        if (w.ok) {
          const out = w.value.sim.run({ maxSteps: 2000 });
          const notes = w.value.sim.trace.events.filter((e) => e.kind === 'note').map((e) => (e.kind === 'note' ? e.text : ''));
          built = `run ${out}, t=${w.value.sim.now} ${notes.join(';')}`;
        } else built = w.error.map((e) => e.message).join(';');
      }
      console.log(what, '->', p.ok ? `ok; ${built}` : p.error.map((e) => `${e.path}: ${e.message}`).join(' | '));
    } catch (e) {
      console.log(what, '-> THREW', (e as Error).message);
    }
  }
});
