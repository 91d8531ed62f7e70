/**
 * Devicetree input: the reserved-memory and IPC nodes of both cores' overlays, as a firmware
 * engineer would paste them, turned into a scenario — and the disagreements between the two sides
 * reported as they would bite on hardware (regions not swapped, block counts, unbound modes,
 * dcache-alignment, mailbox channels).
 *
 * The DTS itself is read by `dts.ts`; `reg` is read here with its parent's #address-cells and
 * #size-cells.
 */
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import { cells, type DtNode, num, parseDts, ref, str, strs, walk } from './dts';
import type { ScenarioInput } from './schema';

export { parseDts, type DtNode, type DtValue } from './dts';

interface CoreSide {
  readonly domain: string;
  readonly regions: Map<string, { readonly address: number; readonly size: number }>;
  readonly ipc: DtNode[];
}

const hex = (v: number) => `0x${v.toString(16)}`;

function side(domain: string, text: string): CoreSide | ConfigIssue {
  const parsed = parseDts(text);
  if (!parsed.ok) return { path: domain, message: `its overlay does not parse: ${parsed.error}` };
  const regions = new Map<string, { address: number; size: number }>();
  const ipc: DtNode[] = [];
  // `reg` is read with its parent's #address-cells / #size-cells; when the pasted part does not
  // say, from its length (2 cells: 1/1, 3: 2/1, 4: 2/2). 64-bit values keep their low word.
  const visit = (nodes: readonly DtNode[], parentCells: { a: number; s: number } | null) => {
    for (const n of nodes) {
      const reg = cells(n, 'reg').filter((c): c is number => typeof c === 'number');
      const guess = reg.length === 4 ? { a: 2, s: 2 } : reg.length === 3 ? { a: 2, s: 1 } : { a: 1, s: 1 };
      const c = parentCells ?? guess;
      if (n.label && reg.length >= c.a + c.s) {
        regions.set(n.label, { address: reg[c.a - 1] ?? 0, size: reg[c.a + c.s - 1] ?? 0 });
      }
      const a = num(n, '#address-cells');
      const sz = num(n, '#size-cells');
      visit(n.children, a !== undefined && sz !== undefined ? { a, s: sz } : null);
    }
  };
  visit(parsed.value, null);
  for (const n of walk(parsed.value)) {
    const compatible = str(n, 'compatible');
    if ((compatible === 'zephyr,ipc-icmsg' || compatible === 'zephyr,ipc-icbmsg') && str(n, 'status') !== 'disabled') {
      ipc.push(n);
    }
  }
  return { domain, regions, ipc };
}

/** The channel numbers of a node's mboxes by name (`<&mbox 16>` → 16). */
function mboxChannels(n: DtNode): { tx?: number; rx?: number } {
  const names = strs(n, 'mbox-names');
  // Each entry starts at a phandle: `<&a 1>, <&b 2>` and `<&a 1 &b 2>` are the same two entries.
  const lists: (number | { readonly ref: string })[][] = [];
  for (const v of n.props.get('mboxes') ?? []) {
    if (v.kind !== 'cells') continue;
    for (const c of v.cells) {
      if (typeof c === 'object' || lists.length === 0) lists.push([c]);
      else lists[lists.length - 1]?.push(c);
    }
  }
  const out: { tx?: number; rx?: number } = {};
  names.forEach((name, i) => {
    const channel = lists[i]?.find((c): c is number => typeof c === 'number');
    if ((name === 'tx' || name === 'rx') && channel !== undefined) out[name] = channel;
  });
  return out;
}

/** The node on the other core that reads what `n` writes. */
function peerNode(instances: ScenarioInput['instances'], n: ScenarioInput['instances'][number]): string {
  return instances.find((m) => m !== n && m['rx-region'] === n['tx-region'])?.node ?? n.node;
}

/**
 * A scenario from two cores' overlays (`a` and `b`, with the domain names to give them), or
 * every disagreement between them, each as it would show on hardware.
 */
export function scenarioFromDevicetree(
  a: { readonly domain: string; readonly dts: string },
  b: { readonly domain: string; readonly dts: string },
): Outcome<ScenarioInput, ConfigIssue[]> {
  const sa = side(a.domain, a.dts);
  const sb = side(b.domain, b.dts);
  const issues: ConfigIssue[] = [];
  if ('message' in sa) issues.push(sa);
  if ('message' in sb) issues.push(sb);
  if ('message' in sa || 'message' in sb) return fail(issues);
  // Regions are the same memory when they have the same address; each side has its own labels.
  const byAddress = new Map<number, { name: string; size: number }>();
  for (const s of [sa, sb]) {
    for (const [label, r] of s.regions) {
      const known = byAddress.get(r.address);
      if (!known) byAddress.set(r.address, { name: label, size: r.size });
      else if (known.size !== r.size) {
        issues.push({
          path: `${s.domain}.${label}`,
          message: `the region at ${hex(r.address)} is ${hex(r.size)} bytes here but ${hex(known.size)} on the other core: the two sides would lay it out differently`,
        });
      }
    }
  }
  const regionOf = (s: CoreSide, n: DtNode, prop: 'tx-region' | 'rx-region') => {
    const label = ref(n, prop);
    const r = label === undefined ? undefined : s.regions.get(label);
    if (!r)
      issues.push({
        path: `${s.domain}.${n.name}.${prop}`,
        message: `&${label ?? '?'} is not a reserved-memory node with a reg`,
      });
    return r;
  };
  const instances: ScenarioInput['instances'] = [];
  const channelName = (from: string, to: string, node: string, n: number) => `${from}_to_${to}_${node}_${n}`;
  for (const na of sa.ipc) {
    const txA = regionOf(sa, na, 'tx-region');
    const rxA = regionOf(sa, na, 'rx-region');
    if (!txA || !rxA) continue;
    const nb = sb.ipc.find((n) => {
      const t = ref(n, 'rx-region');
      return t !== undefined && sb.regions.get(t)?.address === txA.address;
    });
    const where = `${sa.domain}.${na.name}`;
    if (!nb) {
      issues.push({
        path: `${where}.tx-region`,
        message: `no IPC node of ${sb.domain} has ${hex(txA.address)} as its rx-region: what ${sa.domain} writes, nobody reads (the regions must be swapped between the two overlays)`,
      });
      continue;
    }
    const txB = regionOf(sb, nb, 'tx-region');
    if (!txB) continue;
    if (txB.address !== rxA.address) {
      issues.push({
        path: `${where}.rx-region`,
        message: `${sa.domain} reads ${hex(rxA.address)} but ${sb.domain} writes ${hex(txB.address)}: each core would wait for the other forever`,
      });
      continue;
    }
    const compatible = str(na, 'compatible');
    if (compatible !== str(nb, 'compatible')) {
      issues.push({
        path: `${where}.compatible`,
        message: `${compatible ?? '?'} here but ${str(nb, 'compatible') ?? '?'} on ${sb.domain}`,
      });
      continue;
    }
    const dcA = num(na, 'dcache-alignment');
    const dcB = num(nb, 'dcache-alignment');
    if (dcA !== dcB) {
      issues.push({
        path: `${where}.dcache-alignment`,
        message: `${dcA ?? 'absent'} here but ${dcB ?? 'absent'} on ${sb.domain}: the two cores compute different layouts of the same regions`,
      });
    }
    const mA = mboxChannels(na);
    const mB = mboxChannels(nb);
    if (mA.tx === undefined || mA.rx === undefined || mB.tx === undefined || mB.rx === undefined) {
      issues.push({ path: `${where}.mboxes`, message: 'both cores need mboxes with mbox-names = "tx", "rx"' });
      continue;
    }
    if (mA.tx !== mB.rx || mA.rx !== mB.tx) {
      issues.push({
        path: `${where}.mboxes`,
        message: `${sa.domain} rings channel ${mA.tx} and listens on ${mA.rx}, ${sb.domain} rings ${mB.tx} and listens on ${mB.rx}: doorbells would never arrive`,
      });
      continue;
    }
    const aToB = channelName(sa.domain, sb.domain, na.name, mA.tx);
    const bToA = channelName(sb.domain, sa.domain, na.name, mB.tx);
    const name = (addr: number) => byAddress.get(addr)?.name ?? `region_${hex(addr)}`;
    const common = (s: CoreSide, n: DtNode, tx: number, rx: number, mboxTx: string, mboxRx: string) => ({
      node: n.name,
      domain: s.domain,
      'tx-region': name(tx),
      'rx-region': name(rx),
      ...(num(n, 'dcache-alignment') === undefined ? {} : { 'dcache-alignment': num(n, 'dcache-alignment') }),
      mboxes: { tx: mboxTx, rx: mboxRx },
    });
    if (compatible === 'zephyr,ipc-icbmsg') {
      const blocks = (n: DtNode) => ({ tx: num(n, 'tx-blocks'), rx: num(n, 'rx-blocks') });
      const bA = blocks(na);
      const bB = blocks(nb);
      if (bA.tx === undefined || bA.rx === undefined || bB.tx === undefined || bB.rx === undefined) {
        issues.push({ path: `${where}.tx-blocks`, message: 'ICBMsg nodes need tx-blocks and rx-blocks on both cores' });
        continue;
      }
      if (bA.tx !== bB.rx || bA.rx !== bB.tx) {
        issues.push({
          path: `${where}.tx-blocks`,
          message: `tx-blocks/rx-blocks ${bA.tx}/${bA.rx} here but ${bB.tx}/${bB.rx} on ${sb.domain}: they must mirror, or each core computes a different block size and the bind is rejected`,
        });
        continue;
      }
      instances.push(
        { ...common(sa, na, txA.address, rxA.address, aToB, bToA), compatible, 'tx-blocks': bA.tx, 'rx-blocks': bA.rx },
        { ...common(sb, nb, txB.address, txA.address, bToA, aToB), compatible, 'tx-blocks': bB.tx, 'rx-blocks': bB.rx },
      );
    } else {
      const unbound = (n: DtNode) => {
        const u = str(n, 'unbound') ?? 'disable';
        return u === 'enable' || u === 'detect' ? u : 'disable';
      };
      if (unbound(na) !== unbound(nb) && unbound(na) !== 'detect' && unbound(nb) !== 'detect') {
        issues.push({
          path: `${where}.unbound`,
          message: `unbound = ${unbound(na)} here but ${unbound(nb)} on ${sb.domain}: a 1.0 side and a 1.1 side never bind (use "detect" on one of them)`,
        });
      }
      instances.push(
        {
          ...common(sa, na, txA.address, rxA.address, aToB, bToA),
          compatible: 'zephyr,ipc-icmsg',
          unbound: unbound(na),
        },
        {
          ...common(sb, nb, txB.address, txA.address, bToA, aToB),
          compatible: 'zephyr,ipc-icmsg',
          unbound: unbound(nb),
        },
      );
    }
  }
  if (issues.length > 0) return fail(issues);
  if (instances.length === 0)
    return fail([{ path: sa.domain, message: 'no zephyr,ipc-icmsg or zephyr,ipc-icbmsg node found' }]);
  const used = [...byAddress].filter(([addr]) =>
    instances.some((n) => n['tx-region'] === byAddress.get(addr)?.name || n['rx-region'] === byAddress.get(addr)?.name),
  );
  const base = Math.min(...used.map(([addr]) => addr));
  const end = Math.max(...used.map(([addr, r]) => addr + r.size));
  return ok({
    version: 1,
    name: `From devicetree: ${sa.domain} and ${sb.domain}`,
    seed: 1,
    memory: {
      base,
      size: end - base,
      regions: used.map(([addr, r]) => ({ name: r.name, offset: addr - base, size: r.size })),
    },
    domains: [{ name: sa.domain }, { name: sb.domain }],
    instances,
    // Devicetree says nothing of the applications: a ping and an echo on each link to start from.
    endpoints: instances.flatMap((n) =>
      n.domain === sa.domain
        ? [
            {
              domain: sa.domain,
              instance: n.node,
              name: 'ep0',
              behaviour: { kind: 'ping', periodUs: 100, size: 16, count: 10 },
            },
            { domain: sb.domain, instance: peerNode(instances, n), name: 'ep0', behaviour: { kind: 'echo' } },
          ]
        : [],
    ),
  });
}
