/**
 * The app: the debugger (DESIGN.md §5 layout) and the pbuf playground, one tab each.
 *
 *   ┌ playback bar ──────────────────────────────────────────────────────────────┐
 *   │ scenario    │ timeline / sequence                           │ inspector    │
 *   │ topology    ├──────────────────────────┬────────────────────┤ anomalies    │
 *   │ send        │ ring inspector + hex     │ statechart         │ event list   │
 *   │ faults      ├──────────────────────────┴────────────────────┤              │
 *   │             │ figures (domains, endpoints)                  │              │
 *   └─────────────┴───────────────────────────────────────────────┴──────────────┘
 *
 * A scenario with libipc ports adds the Ports panel across the lower row, above the ring inspector
 * and statechart; the ring inspector hides itself when no ICMsg ring is left to show.
 */
import { ErrorBoundary } from './components/ErrorBoundary';
import { AnomalyList } from './panels/Anomalies/AnomalyList';
import { HelpOverlay } from './components/HelpOverlay';
import { IsolationBanner } from './components/IsolationBanner';
import { SharedMemoryBadge } from './components/SharedMemoryBadge';
import { EventList } from './panels/EventList/EventList';
import { FaultPanel } from './panels/Faults/FaultPanel';
import { InspectorPanel } from './panels/Inspector/InspectorPanel';
import { ScenarioEditor } from './panels/Editor/ScenarioEditor';
import { PbufDemo } from './panels/PbufDemo/PbufDemo';
import { DefinitionsEditor } from './panels/Ports/Definitions/DefinitionsEditor';
import { PlaybackBar } from './panels/Playback/PlaybackBar';
import { PortsPanel } from './panels/Ports/PortsPanel';
import { ChannelTasksPanel } from './panels/Channels/ChannelTasksPanel';
import { RingInspector } from './panels/RingInspector/RingInspector';
import { FiguresPanel, ScenarioPanel } from './panels/RunPanel/ScenarioPanel';
import { SendPanel } from './panels/Send/SendPanel';
import { StatechartPanel } from './panels/Statechart/StatechartPanel';
import { TimelinePanel } from './panels/Timeline/TimelinePanel';
import { TopologyPanel } from './panels/Topology/TopologyPanel';
import { LinkBanner, ShareControls } from './share/ShareControls';
import { useShortcuts } from './shortcuts';
import { appStore, useAppStore } from './store/appStore';
import type { AppTab } from './store/viewSlice';

const TABS: readonly { tab: AppTab; label: string }[] = [
  { tab: 'debugger', label: 'Debugger' },
  { tab: 'editor', label: 'Scenarios' },
  { tab: 'ports', label: 'Ports' },
  { tab: 'pbuf', label: 'pbuf playground' },
];

function Debugger() {
  return (
    <div className="debugger">
      <ErrorBoundary area="The playback bar">
        <PlaybackBar />
      </ErrorBoundary>
      <aside className="dbg-left">
        <ErrorBoundary area="The scenario">
          <ScenarioPanel />
        </ErrorBoundary>
        <ErrorBoundary area="The topology">
          <TopologyPanel />
        </ErrorBoundary>
        <ErrorBoundary area="Send by hand">
          <SendPanel />
        </ErrorBoundary>
        <ErrorBoundary area="The faults">
          <FaultPanel />
        </ErrorBoundary>
      </aside>
      <div className="dbg-center">
        <ErrorBoundary area="The timeline">
          <TimelinePanel />
        </ErrorBoundary>
        <div className="dbg-lower">
          <ErrorBoundary area="The ports panel">
            <PortsPanel />
          </ErrorBoundary>
          <ErrorBoundary area="The channel tasks">
            <ChannelTasksPanel />
          </ErrorBoundary>
          <ErrorBoundary area="The ring inspector">
            <RingInspector />
          </ErrorBoundary>
          <ErrorBoundary area="The statechart">
            <StatechartPanel />
          </ErrorBoundary>
        </div>
        <ErrorBoundary area="The figures">
          <FiguresPanel />
        </ErrorBoundary>
      </div>
      <aside className="dbg-right">
        <ErrorBoundary area="The inspector">
          <InspectorPanel />
        </ErrorBoundary>
        <ErrorBoundary area="The anomaly list">
          <AnomalyList />
        </ErrorBoundary>
        <ErrorBoundary area="The event list">
          <EventList />
        </ErrorBoundary>
      </aside>
    </div>
  );
}

export function App() {
  const tab = useAppStore((s) => s.tab);
  const setTab = useAppStore((s) => s.setTab);
  useShortcuts(appStore, tab === 'debugger');
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⇄
          </span>
          <h1>IPC Scope</h1>
          <span className="brand-sub">a visual debugger for inter-processor communication</span>
        </div>
        <nav className="tabs" role="tablist" aria-label="Views">
          {TABS.map((t) => (
            <button
              key={t.tab}
              type="button"
              role="tab"
              aria-selected={tab === t.tab}
              className={tab === t.tab ? 'on' : ''}
              onClick={() => setTab(t.tab)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <ShareControls />
        <SharedMemoryBadge />
      </header>
      <IsolationBanner />
      <LinkBanner />
      <main className={tab === 'debugger' ? 'main-debugger' : ''}>
        {tab === 'debugger' ? (
          <Debugger />
        ) : tab === 'editor' ? (
          <ErrorBoundary area="The scenario editor">
            <ScenarioEditor />
          </ErrorBoundary>
        ) : tab === 'ports' ? (
          <ErrorBoundary area="The libipc definitions editor">
            <DefinitionsEditor />
          </ErrorBoundary>
        ) : (
          <ErrorBoundary area="The pbuf demo">
            <PbufDemo />
          </ErrorBoundary>
        )}
      </main>
      <HelpOverlay />
    </div>
  );
}
