import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIsolationProbeWorker, probeSharedMemory } from '../runtime';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
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

const probed = probe().then((status) => {
  const state = appStore.getState();
  state.setSharedMemory(status);
  state.demoReset(state.demoConfig);
  state.runReset();
  return status;
});

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
