import { describe, expect, it } from 'vitest';
import {
  CHANNELS_ANCKOR_PING,
  CHANNELS_ANCKOR_TWO_SENDERS,
  CHANNELS_CLIENT_SERVER,
  CHANNELS_DEADLOCK,
  CHANNELS_PRIORITY_INHERITANCE,
  CHANNELS_PRIORITY_INVERSION,
  CHANNELS_SERVER_RESTART,
  parseScenario,
  type ScenarioInput,
} from '../../../core';
import { channelScenario, channelTask } from '../../../core/channels/testScenario';
import { placeLabels, segmentMeetsRect } from './channelLabels';
import {
  type ChannelSection,
  type ChanPlaced,
  layoutChannelSection,
  type RouteRequest,
  routeChannelEdges,
} from './channelLayout';
import { type ChannelTopology, channelTopology, taskId } from './channelTopology';

const LEFT = 16;
const WIDTH = 218;
const TOP = 100;

function topologyOf(input: ScenarioInput): ChannelTopology {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const t = channelTopology(parsed.value);
  if (!t) throw new Error('no channels');
  return t;
}

const sectionOf = (t: ChannelTopology, domain = t.tasks[0]?.domain ?? '') =>
  layoutChannelSection(t, domain, LEFT, WIDTH, TOP);

function node(section: ChannelSection, id: string): ChanPlaced {
  const n = section.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`${id} not placed`);
  return n;
}

/** The static edges, and every wait for a reply a client of a server could show. */
function everyEdge(t: ChannelTopology): RouteRequest[] {
  const replies = t.edges.flatMap((e) => {
    if (e.kind !== 'call' || e.channel === null) return [];
    const servers = t.channels.find((c) => c.name === e.channel)?.receivers ?? [];
    return servers.map((s) => ({ id: `reply:${s}>${e.task}`, from: taskId(s), to: taskId(e.task) }));
  });
  return [...t.edges, ...replies];
}

/** A node shrunk a little: an edge may touch its own ends' sides, never go through a node. */
const inner = (n: ChanPlaced) => ({ x: n.x + 0.5, y: n.y + 0.5, w: n.w - 1, h: n.h - 1 });

/** A stress case: five callers on one channel, a notifier, a waiter, a self-call, a lone hog. */
const CROWDED = channelScenario([
  channelTask('fs', 2, { kind: 'server', channel: 'fs', mask: 1 }),
  channelTask('ui', 3, { kind: 'client', channel: 'fs' }),
  channelTask('log', 1, { kind: 'client', channel: 'fs' }),
  channelTask('net', 4, { kind: 'client', channel: 'fs' }),
  channelTask('audit', 1, { kind: 'client', channel: 'fs', call: false }),
  channelTask('loop', 2, { kind: 'server', channel: 'loop', callWhileHandling: { channel: 'loop', size: 8 } }),
  channelTask('kick', 3, { kind: 'client', channel: 'loop' }),
  channelTask('timer', 5, { kind: 'notifier', target: 'waiter', bits: 2, periodUs: 80 }),
  channelTask('waiter', 4, { kind: 'waiter', mask: 2 }),
  channelTask('hog', 1, { kind: 'hog', durationUs: 300 }),
]);

const ALL: [string, ScenarioInput][] = [
  ['anckor ping', CHANNELS_ANCKOR_PING],
  ['client/server', CHANNELS_CLIENT_SERVER],
  ['deadlock', CHANNELS_DEADLOCK],
  ['priority inversion', CHANNELS_PRIORITY_INVERSION],
  ['priority inheritance', CHANNELS_PRIORITY_INHERITANCE],
  ['server restart', CHANNELS_SERVER_RESTART],
  ['anckor two senders', CHANNELS_ANCKOR_TWO_SENDERS],
  ['crowded', CROWDED],
];

describe('layoutChannelSection', () => {
  it('puts the deadlock demo’s clients over their channels and each server under the channel it serves', () => {
    const s = sectionOf(topologyOf(CHANNELS_DEADLOCK));
    const [c1, c2, a, b] = ['task:c1', 'task:c2', 'task:a', 'task:b'].map((id) => node(s, id));
    const [chanA, chanB] = ['chan:chan_a', 'chan:chan_b'].map((id) => node(s, id));
    if (!c1 || !c2 || !a || !b || !chanA || !chanB) throw new Error('missing');
    expect([c1.row, chanA.row, a.row]).toEqual([0, 1, 2]);
    expect(c1.y + c1.h).toBeLessThan(chanA.y);
    expect(chanA.y + chanA.h).toBeLessThan(a.y);
    // Column by column: c1 → chan_a → a on the left, c2 → chan_b → b on the right.
    expect(new Set([c1.x, chanA.x, a.x]).size).toBe(1);
    expect(new Set([c2.x, chanB.x, b.x]).size).toBe(1);
    expect(c1.x).toBeLessThan(c2.x);
  });

  it('centres a node alone in its rank, and keeps the last of several in the left column', () => {
    const inversion = sectionOf(topologyOf(CHANNELS_PRIORITY_INVERSION));
    const svc = node(inversion, 'chan:svc');
    expect(svc.x + svc.w / 2).toBeCloseTo(LEFT + WIDTH / 2);
    const crowded = sectionOf(topologyOf(CROWDED));
    const callers = crowded.nodes.filter((n) => n.rank === 0);
    expect(callers.map((n) => n.name)).toEqual(['ui', 'log', 'net', 'audit', 'kick']);
    expect(node(crowded, 'task:kick').x).toBe(node(crowded, 'task:ui').x);
  });

  it('keeps a task linked to nothing (a hog) in a row of its own at the bottom', () => {
    const s = sectionOf(topologyOf(CHANNELS_PRIORITY_INVERSION));
    const hog = node(s, 'task:hog');
    expect(hog.rank).toBe(3);
    expect(Math.max(...s.nodes.map((n) => n.row))).toBe(hog.row);
  });

  it('is empty for a domain without channel tasks', () => {
    expect(layoutChannelSection(topologyOf(CHANNELS_DEADLOCK), 'elsewhere', 0, 200, 0)).toEqual({
      height: 0,
      nodes: [],
      rows: [],
      left: 0,
      width: 200,
    });
  });

  it.each(ALL)('%s: every node inside the section, none overlapping another', (_, input) => {
    const s = sectionOf(topologyOf(input));
    for (const n of s.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(LEFT);
      expect(n.x + n.w).toBeLessThanOrEqual(LEFT + WIDTH);
      expect(n.y).toBeGreaterThanOrEqual(TOP);
      expect(n.y + n.h).toBeLessThanOrEqual(TOP + s.height);
      for (const m of s.nodes)
        if (m !== n) expect(n.x < m.x + m.w && m.x < n.x + n.w && n.y < m.y + m.h && m.y < n.y + n.h).toBe(false);
    }
  });
});

describe('routeChannelEdges', () => {
  it.each(ALL)('%s: no edge, nor any reply wait, goes through a node', (_, input) => {
    const t = topologyOf(input);
    const s = sectionOf(t);
    const requests = everyEdge(t);
    const routed = routeChannelEdges(s, requests);
    expect(routed).toHaveLength(requests.length);
    for (const r of routed)
      for (let i = 1; i < r.points.length; i++) {
        const [a, b] = [r.points[i - 1], r.points[i]];
        if (!a || !b) continue;
        const hit = s.nodes.filter((n) => segmentMeetsRect(a, b, inner(n)));
        expect(hit.map((n) => `${r.id} segment ${i} through ${n.id}`)).toEqual([]);
      }
  });

  it('runs an edge between adjacent rows straight from the bottom of one to the top of the other', () => {
    const t = topologyOf(CHANNELS_DEADLOCK);
    const s = sectionOf(t);
    const [r] = routeChannelEdges(s, [{ id: 'x', from: 'task:c1', to: 'chan:chan_a' }]);
    const c1 = node(s, 'task:c1');
    const chanA = node(s, 'chan:chan_a');
    expect(r?.straight).toBe(true);
    expect(r?.points).toEqual([
      { x: c1.x + c1.w / 2, y: c1.y + c1.h },
      { x: chanA.x + chanA.w / 2, y: chanA.y },
    ]);
  });

  it('takes a server’s reply wait back round the channel row, into the bottom of its client', () => {
    const t = topologyOf(CHANNELS_DEADLOCK);
    const s = sectionOf(t);
    const routed = routeChannelEdges(s, everyEdge(t));
    const reply = routed.find((r) => r.id === 'reply:a>c1');
    const c1 = node(s, 'task:c1');
    const a = node(s, 'task:a');
    expect(reply?.straight).toBe(false);
    const pts = reply?.points ?? [];
    expect(pts[0]?.y).toBe(a.y);
    expect(pts[pts.length - 1]?.y).toBe(c1.y + c1.h);
    // Its vertical run is left of every node (the left gutter): it passes the channel row outside.
    expect(pts[2]?.x).toBeLessThan(Math.min(...s.nodes.map((n) => n.x)));
    // Its ends on c1's bottom and a's top stand apart from the call's.
    const call = routed.find((r) => r.id === 'task:c1>chan:chan_a');
    expect(call?.points[0]?.x).not.toBe(pts[pts.length - 1]?.x);
  });

  it('goes straight across a row whose nodes stand clear of the two ends’ column', () => {
    const t = topologyOf(CROWDED);
    const s = sectionOf(t);
    const loopChannel = node(s, 'chan:loop');
    const loopTask = node(s, 'task:loop');
    expect(loopTask.row - loopChannel.row).toBe(2);
    const [r] = routeChannelEdges(s, [{ id: 'x', from: 'chan:loop', to: 'task:loop' }]);
    expect(r?.straight).toBe(true);
  });

  it('leaves out an edge whose ends are not both in the section', () => {
    const s = sectionOf(topologyOf(CHANNELS_DEADLOCK));
    expect(routeChannelEdges(s, [{ id: 'x', from: 'task:c1', to: 'task:elsewhere' }])).toEqual([]);
  });
});

describe('placeLabels', () => {
  it('puts the deadlock demo’s labels clear of every node and of each other', () => {
    const t = topologyOf(CHANNELS_DEADLOCK);
    const s = sectionOf(t);
    const routed = routeChannelEdges(s, everyEdge(t));
    const texts = new Map([
      ['reply:a>c1', 'awaits reply'],
      ['reply:b>c2', 'awaits reply'],
      ['task:c1>chan:chan_a', 'send-blocked'],
    ]);
    const spots = placeLabels(s, routed, texts);
    expect([...spots.keys()].sort()).toEqual([...texts.keys()].sort());
    const rects = [...spots].map(([id, p]) => {
      const w = (texts.get(id)?.length ?? 0) * 5.5;
      const x = p.anchor === 'start' ? p.x : p.anchor === 'end' ? p.x - w : p.x - w / 2;
      return { x, y: p.y - 8, w, h: 10 };
    });
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(LEFT);
      expect(r.x + r.w).toBeLessThanOrEqual(LEFT + WIDTH);
      for (const n of s.nodes)
        expect(r.x < n.x + n.w && n.x < r.x + r.w && r.y < n.y + n.h && n.y < r.y + r.h).toBe(false);
      for (const q of rects)
        if (q !== r) expect(r.x < q.x + q.w && q.x < r.x + r.w && r.y < q.y + q.h && q.y < r.y + r.h).toBe(false);
    }
  });
});
