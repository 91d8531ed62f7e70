import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIsolationProbeWorker, probeSharedMemory } from '../runtime';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { readLink } from './share/shareLink';
import { appStore } from './store/appStore';
import { installTestingHooks } from './testing/hooks';
import './styles.css';
import './debugger.css';

function serviceWorkerState(): 'controlling' | 'not-controlling' | 'unavailable' {
  if (!('serviceWorker' in navigator)) return 'unavailable';
  return navigator.serviceWorker.controller ? 'controlling' : 'not-controlling';
}

const probe = () =>
  probeSharedMemory({
    crossOriginIsolated: globalThis.crossOriginIsolated,
    isSecureContext: globalThis.isSecureContext,
    serviceWorker: serviceWorkerState(),
    createWorker: createIsolationProbeWorker,
  });

/** Opens the scenario of a share link in the page's hash; false when there is none. */
function openLink(): boolean {
  const state = appStore.getState();
  const link = readLink(location.hash);
  if (link.kind === 'none') return false;
  if (link.kind === 'error') {
    state.setLinkMessage({ kind: 'error', text: link.message });
    return false;
  }
  state.openScenario(link.scenario);
  state.setLinkMessage(link.notice === null ? null : { kind: 'notice', text: link.notice });
  // A deep link: the inline run goes to its decision, then what it names is selected.
  if (link.at !== null) state.goToStep(link.at);
  if (link.selection) state.select(link.selection);
  return true;
}

const probed = probe().then((status) => {
  const state = appStore.getState();
  state.setSharedMemory(status);
  state.demoReset(state.demoConfig);
  if (!openLink()) state.runReset();
  return status;
});
addEventListener('hashchange', () => void probed.then(openLink));

if (new URLSearchParams(location.search).get('testing') === '1') installTestingHooks(appStore, probed, probe);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary area="IPC Scope">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
