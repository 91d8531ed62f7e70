import { describe, expect, it } from 'vitest';
import { buildWorld } from './build';
import { parseDts, scenarioFromDevicetree } from './devicetree';
import { parseScenario } from './parse';

const APP = `
/ {
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		sram_tx: memory@20070000 {
			reg = <0x20070000 0x0800>;
		};
		sram_rx: memory@20078000 {
			reg = <0x20078000 0x0800>;
		};
	};

	ipc {
		ipc0: ipc0 {
			compatible = "zephyr,ipc-icmsg";
			tx-region = <&sram_tx>;
			rx-region = <&sram_rx>;
			mboxes = <&mbox 0>, <&mbox 1>;
			mbox-names = "tx", "rx";
			dcache-alignment = <32>;
			unbound = "enable";
			status = "okay";
		};
	};
};
`;

const RAD = `
/* The radio core sees the same two regions, the other way round. */
/ {
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		sram_rx: memory@20070000 { reg = <0x20070000 0x0800>; };
		sram_tx: memory@20078000 { reg = <0x20078000 0x0800>; };
	};
	ipc {
		ipc0: ipc0 {
			compatible = "zephyr,ipc-icmsg";
			tx-region = <&sram_tx>; // written by this core
			rx-region = <&sram_rx>;
			mboxes = <&mbox 1>, <&mbox 0>;
			mbox-names = "tx", "rx";
			dcache-alignment = <32>;
			unbound = "enable";
		};
	};
};
`;

describe('devicetree input', () => {
  it('parses the DTS subset: labels, unit addresses, strings, cells, references, comments', () => {
    const parsed = parseDts(APP);
    if (!parsed.ok) throw new Error(parsed.error);
    const memory = parsed.value.find((n) => n.name === 'reserved-memory');
    expect(memory?.children.map((c) => [c.label, c.name, c.unitAddress])).toEqual([
      ['sram_tx', 'memory', '20070000'],
      ['sram_rx', 'memory', '20078000'],
    ]);
    expect(parseDts('ipc { node { prop = <1 2 ; }; };')).toMatchObject({ ok: false });
  });

  it('turns both cores’ overlays into a scenario that binds', () => {
    const made = scenarioFromDevicetree({ domain: 'cpuapp', dts: APP }, { domain: 'cpurad', dts: RAD });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const parsed = parseScenario(made.value);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(parsed.value.memory).toMatchObject({ base: 0x20070000, size: 0x8800 });
    expect(parsed.value.instances.map((n) => [n.domain, n['tx-region'], n['rx-region'], n.mboxes.tx])).toEqual([
      ['cpuapp', 'sram_tx', 'sram_rx', 'cpuapp_to_cpurad_ipc0_0'],
      ['cpurad', 'sram_rx', 'sram_tx', 'cpurad_to_cpuapp_ipc0_1'],
    ]);
    const built = buildWorld(parsed.value);
    if (!built.ok) throw new Error('build');
    built.value.sim.run({ maxSteps: 100_000 });
    expect(built.value.endpoints.get('cpuapp/ipc0/ep0')?.stats).toMatchObject({ bound: 1, roundTrips: 10 });
  });

  it('reports what would bite on hardware: regions not swapped, modes, alignment, mailboxes', () => {
    const issues = (rad: string) => {
      const made = scenarioFromDevicetree({ domain: 'cpuapp', dts: APP }, { domain: 'cpurad', dts: rad });
      return made.ok ? [] : made.error.map((e) => `${e.path}: ${e.message}`);
    };
    expect(
      issues(
        RAD.replace('tx-region = <&sram_tx>', 'tx-region = <&sram_rx>').replace(
          'rx-region = <&sram_rx>',
          'rx-region = <&sram_tx>',
        ),
      )[0],
    ).toMatch(/^cpuapp\.ipc0\.tx-region: no IPC node of cpurad has 0x20070000 as its rx-region/);
    expect(issues(RAD.replace('unbound = "enable"', 'unbound = "disable"'))[0]).toMatch(
      /unbound = enable here but disable on cpurad: a 1\.0 side and a 1\.1 side never bind/,
    );
    expect(issues(RAD.replace('dcache-alignment = <32>', 'dcache-alignment = <64>'))[0]).toMatch(
      /^cpuapp\.ipc0\.dcache-alignment: 32 here but 64 on cpurad/,
    );
    expect(issues(RAD.replace('<&mbox 1>, <&mbox 0>', '<&mbox 2>, <&mbox 0>'))[0]).toMatch(
      /doorbells would never arrive/,
    );
    expect(issues('ipc {')[0]).toMatch(/^cpurad: its overlay does not parse: line \d+: /);
  });

  it('reads ICBMsg nodes and checks their block counts mirror', () => {
    const icbmsg = (dts: string, tx: number, rx: number) =>
      dts
        .replace('"zephyr,ipc-icmsg"', '"zephyr,ipc-icbmsg"')
        .replace('unbound = "enable";', `tx-blocks = <${tx}>; rx-blocks = <${rx}>;`);
    const ok = scenarioFromDevicetree(
      { domain: 'cpuapp', dts: icbmsg(APP, 16, 24) },
      { domain: 'cpurad', dts: icbmsg(RAD, 24, 16) },
    );
    expect(ok.ok && parseScenario(ok.value).ok).toBe(true);
    const bad = scenarioFromDevicetree(
      { domain: 'cpuapp', dts: icbmsg(APP, 16, 24) },
      { domain: 'cpurad', dts: icbmsg(RAD, 16, 24) },
    );
    expect(bad.ok ? '' : bad.error[0]?.message).toMatch(
      /tx-blocks\/rx-blocks 16\/24 here but 16\/24 on cpurad: they must mirror/,
    );
  });

  it('reads overlays as Zephyr boards write them: overrides, two-cell addresses, /delete-property/, one <> of mboxes', () => {
    const app = `
/ {
  reserved-memory {
    #address-cells = <2>;
    #size-cells = <2>;
    sram_tx: memory@20070000 { reg = <0x0 0x20070000 0x0 0x800>; };
    sram_rx: memory@20078000 { reg = <0x0 0x20078000 0x0 0x800>; };
  };
};
ipc0: &cpuapp_cpurad_ipc {
  /delete-property/ mbox-names;
  compatible = "zephyr,ipc-icmsg";
  tx-region = <&sram_tx>;
  rx-region = <&sram_rx>;
  mboxes = <&cpuapp_bellboard 18 &cpurad_bellboard 12>;
  mbox-names = "rx", "tx";
  dcache-alignment = <32>;
  unbound = "enable";
  status = "okay";
};`;
    const rad = app
      .replace('tx-region = <&sram_tx>', 'tx-region = <&sram_rx>')
      .replace('rx-region = <&sram_rx>', 'rx-region = <&sram_tx>')
      .replace(
        'mboxes = <&cpuapp_bellboard 18 &cpurad_bellboard 12>',
        'mboxes = <&cpurad_bellboard 12>, <&cpuapp_bellboard 18>',
      );
    const made = scenarioFromDevicetree({ domain: 'cpuapp', dts: app }, { domain: 'cpurad', dts: rad });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    expect(made.value.memory).toMatchObject({ base: 0x20070000, size: 0x8800 });
    expect(made.value.instances.map((n) => `${n.domain} ${n.node} ${n.mboxes.tx} ${n.mboxes.rx}`)).toEqual([
      'cpuapp cpuapp_cpurad_ipc cpuapp_to_cpurad_cpuapp_cpurad_ipc_12 cpurad_to_cpuapp_cpuapp_cpurad_ipc_18',
      'cpurad cpuapp_cpurad_ipc cpurad_to_cpuapp_cpuapp_cpurad_ipc_18 cpuapp_to_cpurad_cpuapp_cpurad_ipc_12',
    ]);
    expect(parseScenario(made.value).ok).toBe(true);
  });
});
