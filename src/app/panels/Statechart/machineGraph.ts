/**
 * A backend's own XState machine definition as a graph to draw: its states, the transitions
 * between them (one edge per source, target and event, however many guarded branches it has) and
 * the transitions the machine takes from any state (root-level `on`), laid out in columns by
 * distance from the initial state.
 */
import { toDirectedGraph } from '@xstate/graph';
import type { AnyStateMachine } from 'xstate';

export interface GraphState {
  /** The state's name (Zephyr's, e.g. CONNECTED_SID_ENABLED). */
  readonly name: string;
  /** Column: transitions needed from the initial state (unreachable states go last). */
  readonly rank: number;
  /** Row within its column. */
  readonly row: number;
  readonly initial: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Event types that take this edge. */
  readonly events: readonly string[];
}

export interface MachineGraph {
  readonly id: string;
  /**
   * The machine's regions, each a list of its state names, for a parallel machine (an ICBMsg
   * endpoint's bounding and rebound states); one region holding every state otherwise. A machine
   * is in exactly one state of each region.
   */
  readonly regions: readonly (readonly string[])[];
  readonly states: readonly GraphState[];
  readonly edges: readonly GraphEdge[];
  /** Transitions possible in every state: event → target states. */
  readonly anyState: readonly GraphEdge[];
}

const shortName = (id: string, rootId: string): string => id.slice(rootId.length + 1);

export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const top = toDirectedGraph(machine);
  if (machine.config.type === 'parallel') return parallelGraph(top);
  return flatGraph(top, top.id, typeof machine.config.initial === 'string' ? machine.config.initial : null);
}

type DirectedNode = ReturnType<typeof toDirectedGraph>;

/** A parallel machine: each region laid out on its own, side by side. */
function parallelGraph(top: DirectedNode): MachineGraph {
  const parts = top.children.map((region) => {
    const initial = region.stateNode.config.initial;
    return flatGraph(region, region.id, typeof initial === 'string' ? initial : null);
  });
  let offset = 0;
  const states: GraphState[] = [];
  for (const part of parts) {
    const width = Math.max(0, ...part.states.map((st) => st.row + 1));
    for (const st of part.states) states.push({ ...st, row: st.row + offset });
    offset += width;
  }
  return {
    id: top.id,
    regions: parts.map((p) => p.states.map((st) => st.name)),
    states,
    edges: parts.flatMap((p) => p.edges),
    anyState: parts.flatMap((p) => p.anyState),
  };
}

function flatGraph(root: DirectedNode, rootId: string, initial: string | null): MachineGraph {
  const names = root.children.map((c) => shortName(c.id, rootId));
  const edgeMap = new Map<string, { from: string; to: string; events: string[] }>();
  const add = (
    map: Map<string, { from: string; to: string; events: string[] }>,
    from: string,
    to: string,
    ev: string,
  ) => {
    const key = `${from}→${to}`;
    const edge = map.get(key) ?? { from, to, events: [] };
    if (!edge.events.includes(ev)) edge.events.push(ev);
    map.set(key, edge);
  };
  for (const child of root.children) {
    for (const e of child.edges) {
      add(edgeMap, shortName(e.source.id, rootId), shortName(e.target.id, rootId), e.label.text);
    }
  }
  const anyMap = new Map<string, { from: string; to: string; events: string[] }>();
  for (const e of root.edges) {
    if (e.target.id === rootId) continue;
    add(anyMap, '*', shortName(e.target.id, rootId), e.label.text);
  }
  const edges = [...edgeMap.values()];

  const initialName = initial ?? names[0] ?? '';
  const rank = layers(names, initialName, edges);
  const maxRank = Math.max(0, ...rank.values());
  // Within a layer, each state sits near the states it comes from (barycentre), ties in
  // definition order.
  const column = new Map<string, number>();
  const byLayer = new Map<number, string[]>();
  for (const name of names) {
    const r = rank.get(name) ?? maxRank + 1;
    byLayer.set(r, [...(byLayer.get(r) ?? []), name]);
  }
  for (const r of [...byLayer.keys()].sort((a, b) => a - b)) {
    const layer = byLayer.get(r) ?? [];
    const weight = (name: string): number => {
      const from = edges.filter((e) => e.to === name && e.from !== name && column.has(e.from));
      return from.length === 0
        ? names.indexOf(name)
        : from.reduce((n, e) => n + (column.get(e.from) ?? 0), 0) / from.length;
    };
    const ordered = layer.map((name) => ({ name, w: weight(name) })).sort((a, b) => a.w - b.w);
    ordered.forEach((o, i) => column.set(o.name, i));
  }
  const states = names.map((name): GraphState => ({
    name,
    rank: rank.get(name) ?? maxRank + 1,
    row: column.get(name) ?? 0,
    initial: name === initialName,
  }));
  return { id: rootId, regions: [names], states, edges, anyState: [...anyMap.values()] };
}

/**
 * Layers by longest path from the initial state over the forward edges of a depth-first walk from
 * it (in definition order): an edge back to a state still on the walk's stack closes a cycle and
 * does not push its target down.
 */
function layers(names: readonly string[], initial: string, edges: readonly GraphEdge[]): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.from !== e.to) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const onStack = new Set<string>();
  const done = new Set<string>();
  const back = new Set<string>();
  const walk = (at: string): void => {
    onStack.add(at);
    for (const to of next.get(at) ?? []) {
      if (onStack.has(to)) back.add(`${at}→${to}`);
      else if (!done.has(to)) walk(to);
    }
    onStack.delete(at);
    done.add(at);
  };
  walk(initial);
  const forward = edges.filter((e) => e.from !== e.to && !back.has(`${e.from}→${e.to}`));
  const rank = new Map<string, number>([[initial, 0]]);
  for (let pass = 0; pass < names.length; pass++) {
    let changed = false;
    for (const e of forward) {
      const r = rank.get(e.from);
      if (r !== undefined && (rank.get(e.to) ?? -1) < r + 1) {
        rank.set(e.to, r + 1);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return rank;
}
