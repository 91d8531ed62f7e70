/**
 * The topology: each domain (core) with its IPC instances (backend, key devicetree properties and
 * the handshake state in Zephyr's words) and endpoints (bound or not), and between domains one
 * arrow per shared-memory region from the instance that writes it to the one that reads it,
 * labelled with its doorbell channel and the message and doorbell counts at the time cursor.
 * A scenario with a `libipc` part also gets its tasks and ports inside their domain's box, under
 * the instances (PortsLayer); one with a `channels` part, its channel tasks and channels under
 * those, with who waits on whom at the time cursor (ChannelsLayer). Everything is clickable and
 * joins the shared selection.
 */
import { onActivate } from './activate';
import { useMemo } from 'react';
import { backendLabel, nodeSummary, type RegionInfo } from '../../debug/regions';
import { useDerived } from '../../debug/useDerived';
import { usePortActivity } from '../../debug/usePortActivity';
import { useAppStore } from '../../store/appStore';
import { domainColour } from '../../theme/colours';
import { layoutChannelSection } from './channelLayout';
import { channelTopology, liveChannels } from './channelTopology';
import { ChannelsLayer } from './ChannelsLayer';
import { layoutPortSection, routeEdges } from './portLayout';
import { planOfScenario, portTopology } from './portTopology';
import { PortsLayer } from './PortsLayer';
import './topology.css';

const W = 300;
const BOX_X = 6;
const BOX_W = 236;
const HEAD = 22;
const INSTANCE_H = 50;
const ENDPOINT_H = 18;
const LABEL_LINE = 15;
/** The libipc section: inset like the instances. */
const PORTS_X = BOX_X + 10;
const PORTS_W = BOX_W - 18;
/**
 * Edges between a task and a port of another domain run in a gutter of their own, right of the
 * region links' (which reach about W − 10): the drawing is widened by it only when there are some.
 */
const REMOTE_GUTTER = 30;

const isConnected = (state: string | undefined): boolean =>
  state === 'CONNECTED_SID_ENABLED' || state === 'CONNECTED_SID_DISABLED' || state === 'READY';

export function TopologyPanel() {
  const session = useAppStore((s) => s.session);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const derived = useDerived();
  const count = usePortActivity();
  const scenario = session?.scenario;
  const topology = useMemo(() => (scenario ? portTopology(scenario, planOfScenario(scenario)) : null), [scenario]);
  const channels = useMemo(() => (scenario ? channelTopology(scenario) : null), [scenario]);
  const live = useMemo(
    () => (channels && derived ? liveChannels(channels, derived.channelTasks) : null),
    [channels, derived],
  );
  if (!session || !scenario) return null;
  const { regions } = session;

  // Vertical layout: domain boxes stacked, region arrows in the gutter on the right.
  const sized = scenario.domains.map((d, index) => {
    const instances = scenario.instances.filter((n) => n.domain === d.name);
    const rows = instances.map((n) => {
      const eps = scenario.endpoints.filter((e) => e.domain === d.name && e.instance === n.node);
      return { node: n, endpoints: eps, height: INSTANCE_H + eps.length * ENDPOINT_H };
    });
    const instancesHeight = rows.reduce((h, r) => h + r.height, 0);
    // Laid out at 0 for its height; placed again below once the box's top is known.
    const ports = topology ? layoutPortSection(topology, d.name, PORTS_X, PORTS_W, 0).height : 0;
    const chans = channels ? layoutChannelSection(channels, d.name, PORTS_X, PORTS_W, 0).height : 0;
    return { domain: d.name, index, height: HEAD + instancesHeight + ports + chans + 8, rows, instancesHeight, ports };
  });
  // The gap between two domains holds one label line per link.
  const GAP = 16 + Math.max(2, regions.length) * LABEL_LINE;
  const tops = sized.reduce<number[]>(
    (acc, _, i) => [...acc, i === 0 ? 8 : (acc[i - 1] ?? 0) + (sized[i - 1]?.height ?? 0) + GAP],
    [],
  );
  const boxes = sized.map((b, i) => ({ ...b, y: tops[i] ?? 8 }));
  const sections = topology
    ? boxes.map((b) => ({
        box: b,
        section: layoutPortSection(topology, b.domain, PORTS_X, PORTS_W, b.y + HEAD + b.instancesHeight),
      }))
    : [];
  const channelSections = channels
    ? boxes.map((b) =>
        layoutChannelSection(channels, b.domain, PORTS_X, PORTS_W, b.y + HEAD + b.instancesHeight + b.ports),
      )
    : [];
  const portNodes = sections.flatMap((s) => s.section.nodes);
  const width = W + (portNodes.some((n) => n.remote) ? REMOTE_GUTTER : 0);
  const portEdges = topology ? routeEdges(topology, portNodes, width - 6) : [];
  const lastBox = boxes[boxes.length - 1];
  const height = (lastBox ? lastBox.y + lastBox.height : 0) + 8;
  const boxOf = (instanceKey: string | null) => boxes.find((b) => instanceKey?.startsWith(`${b.domain}/`));
  const isSelected = (kind: string, key: string): boolean =>
    selection !== null &&
    ((selection.kind === 'instance' && kind === 'instance' && selection.key === key) ||
      (selection.kind === 'endpoint' && kind === 'endpoint' && selection.key === key) ||
      (selection.kind === 'domain' && kind === 'domain' && selection.name === key) ||
      (selection.kind === 'state' && kind === 'instance' && selection.instance === key) ||
      (selection.kind === 'bytes' && kind === 'region' && selection.region === key));

  const links = regions
    .map((r, i) => ({ region: r, from: boxOf(r.writer), to: boxOf(r.reader), i }))
    .filter((l): l is { region: RegionInfo; from: (typeof boxes)[number]; to: (typeof boxes)[number]; i: number } =>
      Boolean(l.from && l.to && l.from !== l.to),
    );

  return (
    <section className="panel topology-panel" aria-label="Topology">
      <header className="panel-head">
        <h2>Topology</h2>
        {derived && derived.problems > 0 && (
          <span className="topo-problems">
            {derived.problems} {derived.problems === 1 ? 'problem' : 'problems'}
          </span>
        )}
      </header>
      <svg
        className="topology"
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label="Domains, instances and links"
      >
        <defs>
          <marker id="topo-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="topo-arrowhead" />
          </marker>
          <marker
            id="topo-port-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="topo-port-arrowhead" />
          </marker>
        </defs>
        {boxes.map((b) => {
          let ry = b.y + HEAD;
          return (
            <g key={b.domain} className={`topo-domain${isSelected('domain', b.domain) ? ' selected' : ''}`}>
              <rect x={BOX_X} y={b.y} width={BOX_W} height={b.height} rx={8} />
              <rect
                x={BOX_X}
                y={b.y}
                width={5}
                height={b.height}
                className="topo-stripe"
                fill={domainColour(b.index)}
              />
              <text
                x={BOX_X + 12}
                y={b.y + 15}
                className="topo-domain-name"
                role="button"
                tabIndex={0}
                aria-label={`Domain ${b.domain}`}
                onClick={() => select({ kind: 'domain', name: b.domain })}
                onKeyDown={onActivate(() => select({ kind: 'domain', name: b.domain }))}
              >
                {b.domain}
              </text>
              {b.rows.map((r) => {
                const key = `${r.node.domain}/${r.node.node}`;
                const state = derived?.instanceState.get(key);
                const top = ry;
                ry += r.height;
                return (
                  <g key={key}>
                    <g
                      className={`topo-instance${isSelected('instance', key) ? ' selected' : ''}`}
                      role="button"
                      tabIndex={0}
                      aria-label={`Instance ${key}: ${state ?? 'not opened'}`}
                      data-instance={key}
                      data-state={state ?? ''}
                      onClick={() => select({ kind: 'instance', key })}
                      onKeyDown={onActivate(() => select({ kind: 'instance', key }))}
                    >
                      <rect x={BOX_X + 10} y={top} width={BOX_W - 18} height={INSTANCE_H - 6} rx={5} />
                      <text x={BOX_X + 18} y={top + 14} className="topo-node">
                        {r.node.node} <tspan className="topo-dim">{backendLabel(r.node)}</tspan>
                      </text>
                      <text x={BOX_X + 18} y={top + 26} className="topo-dim">
                        {nodeSummary(r.node)}
                      </text>
                      <text
                        x={BOX_X + 18}
                        y={top + 39}
                        className={`topo-state ${isConnected(state) ? 'ok' : state ? 'wait' : 'off'}`}
                      >
                        {state ?? 'not opened'}
                      </text>
                    </g>
                    {r.endpoints.map((e, j) => {
                      const ekey = `${e.domain}/${e.instance}/${e.name}`;
                      const life = derived?.endpoints.get(ekey);
                      const ey = top + INSTANCE_H + j * ENDPOINT_H + 10;
                      return (
                        <text
                          key={ekey}
                          x={BOX_X + 22}
                          y={ey}
                          className={`topo-endpoint ${life?.state ?? 'registered'}${isSelected('endpoint', ekey) ? ' selected' : ''}`}
                          role="button"
                          tabIndex={0}
                          aria-label={`Endpoint ${ekey}: ${life?.state ?? 'not bound'}`}
                          data-endpoint-state={life?.state ?? ''}
                          onClick={() => select({ kind: 'endpoint', key: ekey })}
                          onKeyDown={onActivate(() => select({ kind: 'endpoint', key: ekey }))}
                        >
                          ◆ {e.name} <tspan className="topo-dim">{e.behaviour.kind}</tspan>{' '}
                          {life?.state === 'bound'
                            ? '● bound'
                            : life?.state === 'unbound'
                              ? '○ unbound'
                              : '○ not bound'}
                        </text>
                      );
                    })}
                  </g>
                );
              })}
            </g>
          );
        })}
        {sections.map(({ box, section }) =>
          section.height > 0 ? (
            <text
              key={`ports:${box.domain}`}
              x={PORTS_X}
              y={box.y + HEAD + box.instancesHeight + 11}
              className="topo-dim"
            >
              libipc tasks and ports
            </text>
          ) : null,
        )}
        {topology && (
          <PortsLayer
            topology={topology}
            nodes={portNodes}
            edges={portEdges}
            derived={derived}
            count={count}
            selection={selection}
            select={select}
          />
        )}
        {channels && (
          <ChannelsLayer
            topology={channels}
            sections={channelSections.filter((s) => s.height > 0)}
            live={live}
            selection={selection}
            select={select}
          />
        )}
        {links.map(({ region, from, to, i }) => {
          const down = from.y < to.y;
          const x = BOX_X + BOX_W + 20 + (i % 2) * 22;
          const y1 = down ? from.y + from.height - 12 : from.y + 12;
          const y2 = down ? to.y + 12 : to.y + to.height - 12;
          const counts = derived?.links.get(region.name);
          const bells = region.doorbell ? derived?.doorbells.get(region.doorbell) : undefined;
          const sel = isSelected('region', region.name);
          const upper = Math.min(from.y + from.height, to.y + to.height);
          const labelY = upper + 14 + i * LABEL_LINE;
          return (
            <g
              key={region.name}
              className={`topo-link${sel ? ' selected' : ''}`}
              role="button"
              tabIndex={0}
              aria-label={`Region ${region.name}: ${counts?.written ?? 0} messages written, ${counts?.read ?? 0} read`}
              data-region={region.name}
              data-written={counts?.written ?? 0}
              onClick={() => select({ kind: 'bytes', region: region.name, offset: 0, length: region.size })}
              onKeyDown={onActivate(() =>
                select({ kind: 'bytes', region: region.name, offset: 0, length: region.size }),
              )}
            >
              <path
                d={`M${BOX_X + BOX_W},${y1} C${x + 18},${y1} ${x + 18},${y2} ${BOX_X + BOX_W},${y2}`}
                markerEnd="url(#topo-arrow)"
              />
              <text x={BOX_X + 12} y={labelY} className="topo-link-label">
                {down ? '▼' : '▲'} {region.name}: {counts?.written ?? 0}w/{counts?.read ?? 0}r ·{' '}
                <tspan className={bells && bells.lost > 0 ? 'topo-bell lost' : 'topo-bell'}>
                  {bells?.rung ?? 0} rings{bells && bells.lost > 0 ? ` (${bells.lost} lost)` : ''}
                </tspan>
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="topo-legend">
        {links.map(({ region }) => (
          <li key={region.name}>
            <strong>{region.name}</strong> {region.writer} → {region.reader} · doorbell {region.doorbell ?? '—'}
          </li>
        ))}
        {((!topology && !channels) || links.length > 0) && (
          <li className="topo-dim">w/r: packets written and read; rings: doorbells rung (lost); at the time cursor</li>
        )}
        {topology && (
          <li className="topo-dim">
            ports: items queued/depth; edges: sent, routed, received so far; a task blocked on a full queue is amber,
            waiting for a message dim, for a proto response blue; at the time cursor
          </li>
        )}
        {live?.cycles.map((c) => (
          <li key={c} className="topo-ch-cycle">
            <strong>deadlock</strong> {c}
          </li>
        ))}
        {channels && (
          <li className="topo-dim">
            channels: tasks tinted by their state at the time cursor; send-blocked amber, receive-blocked blue, a dashed
            purple edge from a server to the client awaiting its reply, a wait-for cycle red
          </li>
        )}
      </ul>
    </section>
  );
}
