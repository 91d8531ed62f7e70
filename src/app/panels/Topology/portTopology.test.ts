import { describe, expect, it } from 'vitest';
import { ICMSG_HELLO, LIBIPC_PROTO_STALE, LIBIPC_UI_POLLING, parseScenario, type Scenario } from '../../../core';
import { layoutPortSection, routeEdges } from './portLayout';
import { planOfScenario, type PortTopology, portTopology } from './portTopology';

function scenarioOf(input: unknown): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

const topologyOf = (input: unknown) => {
  const s = scenarioOf(input);
  return portTopology(s, planOfScenario(s));
};

describe('portTopology', () => {
  it('has the tasks and the port of libipc-proto-stale, with an edge per task', () => {
    const t = topologyOf(LIBIPC_PROTO_STALE);
    expect(t?.tasks.map((x) => [x.name, x.domain, x.role, x.port])).toEqual([
      ['key_manager_task', 'mcu', 'receiver', 'key_manager_port'],
      ['refresh_task', 'mcu', 'sender', 'key_manager_port'],
      // The proto client sends to the port its proto is routed to.
      ['nfc_task', 'mcu', 'proto-client', 'key_manager_port'],
    ]);
    expect(t?.ports).toEqual([{ name: 'key_manager_port', domain: 'mcu', depth: 4 }]);
    expect(t?.edges).toEqual([
      { task: 'key_manager_task', port: 'key_manager_port', direction: 'out', count: 'received' },
      { task: 'refresh_task', port: 'key_manager_port', direction: 'in', count: 'sent' },
      { task: 'nfc_task', port: 'key_manager_port', direction: 'in', count: 'routed' },
    ]);
  });

  it('lists every declared port with its depth, used or not', () => {
    const t = topologyOf(LIBIPC_UI_POLLING);
    expect(t?.ports.map((p) => [p.name, p.depth])).toEqual([
      ['sysinfo_port', 4],
      ['ui_port', 10],
    ]);
  });

  it('is null for a scenario without libipc', () => {
    expect(topologyOf(ICMSG_HELLO)).toBeNull();
  });
});

describe('layoutPortSection and routeEdges', () => {
  it('puts senders above their port and the receiver under it, edges straight down between them', () => {
    const t = topologyOf(LIBIPC_PROTO_STALE);
    if (!t) throw new Error('no topology');
    const section = layoutPortSection(t, 'mcu', 16, 218, 100);
    const at = new Map(section.nodes.map((n) => [n.name, n]));
    const port = at.get('key_manager_port');
    const refresh = at.get('refresh_task');
    const nfc = at.get('nfc_task');
    const receiver = at.get('key_manager_task');
    if (!port || !refresh || !nfc || !receiver) throw new Error('a node is missing');
    expect(refresh.y).toBe(nfc.y);
    expect(refresh.y + refresh.h).toBeLessThan(port.y);
    expect(receiver.y).toBeGreaterThan(port.y + port.h);
    expect(refresh.x + refresh.w).toBeLessThanOrEqual(nfc.x);
    for (const n of section.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(16);
      expect(n.x + n.w).toBeLessThanOrEqual(16 + 218);
      expect(n.y).toBeGreaterThanOrEqual(100);
      expect(n.y + n.h).toBeLessThanOrEqual(100 + section.height);
    }
    const edges = routeEdges(t, section.nodes, 300);
    expect(edges.map((e) => e.edge.task)).toEqual(['key_manager_task', 'refresh_task', 'nfc_task']);
    const down = edges.find((e) => e.edge.task === 'refresh_task');
    expect(down?.d).toBe(
      `M${refresh.x + refresh.w / 2},${refresh.y + refresh.h} L${refresh.x + refresh.w / 2},${port.y}`,
    );
    expect(edges.every((e) => e.label !== null)).toBe(true);
  });

  it('is empty for a domain without tasks or ports', () => {
    const t = topologyOf(LIBIPC_PROTO_STALE);
    if (!t) throw new Error('no topology');
    expect(layoutPortSection(t, 'cpurad', 0, 200, 0)).toEqual({ height: 0, nodes: [] });
  });

  it('routes a task whose port lives in another domain out through the gutter', () => {
    const t: PortTopology = {
      tasks: [
        { name: 'ui_task', domain: 'cpuapp', role: 'receiver', port: 'ui_port', via: 'ui_port' },
        { name: 'radio_task', domain: 'cpurad', role: 'sender', port: 'ui_port', via: 'ui_event_t' },
      ],
      ports: [{ name: 'ui_port', domain: 'cpuapp', depth: 4 }],
      edges: [
        { task: 'ui_task', port: 'ui_port', direction: 'out', count: 'received' },
        { task: 'radio_task', port: 'ui_port', direction: 'in', count: 'sent' },
      ],
    };
    const app = layoutPortSection(t, 'cpuapp', 10, 200, 0);
    const rad = layoutPortSection(t, 'cpurad', 10, 200, 300);
    expect(app.nodes.map((n) => [n.name, n.remote])).toEqual([
      ['ui_port', false],
      ['ui_task', false],
    ]);
    expect(rad.nodes.map((n) => [n.name, n.remote])).toEqual([['radio_task', true]]);
    const remote = routeEdges(t, [...app.nodes, ...rad.nodes], 290).find((e) => e.edge.task === 'radio_task');
    expect(remote?.label).toBeNull();
    expect(remote?.d).toContain('C290,');
  });
});
