import { ErrorBoundary } from './components/ErrorBoundary';
import { IsolationBanner } from './components/IsolationBanner';
import { SharedMemoryBadge } from './components/SharedMemoryBadge';
import { PbufDemo } from './panels/PbufDemo/PbufDemo';
import { RunPanel } from './panels/RunPanel/RunPanel';

export function App() {
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
        <SharedMemoryBadge />
      </header>
      <IsolationBanner />
      <main>
        <ErrorBoundary area="The scenario run">
          <RunPanel />
        </ErrorBoundary>
        <ErrorBoundary area="The pbuf demo">
          <PbufDemo />
        </ErrorBoundary>
      </main>
    </div>
  );
}
