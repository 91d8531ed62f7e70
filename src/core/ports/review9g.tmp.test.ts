import { it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { planArea } from './area';
import { rx, scenario, tx } from './review9h';
it('G big arrays', () => {
  for (const decl of ['uint8_t x[4294967295]', 'uint32_t x[65536][65536]', 'uint8_t x[99999999999999999999]', 'uint8_t x[4294967296]']) {
    const base = scenario([rx(), tx({ values: {}, counter: undefined })]);
    const text = `port_name: foo_port\nmessages:\n  structs:\n    - name: foo_msg_t\n      fields:\n        - ${decl}\n`;
    const input = { ...base, libipc: { ...base.libipc!, definitions: [{ file: 'foo_ipc.yaml', text }] } };
    const p = parseScenario(input);
    if (!p.ok) { console.log(decl, p.error.map((e) => e.message)); continue; }
    const spec = p.value.libipc!;
    const plan = planArea(spec, { name: 'ports', offset: 0, size: 8192, address: 0x20070000 } as never, ['mcu']);
    if (plan.ok) { const l = plan.value.structs.get('foo_msg_t'); console.log(decl, 'size', l?.size, 'field', JSON.stringify(l?.fields[0]), 'static', JSON.stringify([...plan.value.statics])); }
  }
});
