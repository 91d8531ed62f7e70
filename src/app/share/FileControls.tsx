/**
 * Export and import: the scenario as a file, the trace as JSON and for Perfetto; opening a
 * scenario file (a bad one is explained, and what is open stays open).
 */
import { useRef, useState } from 'react';
import { useAppStore } from '../store/appStore';
import { type FileOut, perfettoFile, readScenarioFile, scenarioFile, traceFile } from './files';
import { svgFile, timelinePng } from './viewExport';

function downloadUrl(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}

function download(file: FileOut): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  downloadUrl(url, file.name);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function FileControls() {
  const scenario = useAppStore((s) => s.scenario);
  const session = useAppStore((s) => s.session);
  const openScenario = useAppStore((s) => s.openScenario);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement | null>(null);
  return (
    <div className="file-controls" role="group" aria-label="Files">
      <button
        type="button"
        onClick={() => download(scenarioFile(scenario, session))}
        title="The scenario as a JSON file"
      >
        Export scenario
      </button>
      <button
        type="button"
        disabled={!session}
        onClick={() => session && download(traceFile(scenario, session))}
        title="Every event of the trace, as JSON"
      >
        Export trace
      </button>
      <button
        type="button"
        disabled={!session}
        onClick={() => session && download(perfettoFile(scenario, session))}
        title="The trace in the Chrome trace-event format: open it in ui.perfetto.dev"
      >
        Export for Perfetto
      </button>
      <button
        type="button"
        onClick={() => {
          const png = timelinePng();
          if (png) downloadUrl(png, 'timeline.png');
          else setError('the timeline is not on screen');
        }}
        title="The timeline as you see it, as PNG"
      >
        Timeline as PNG
      </button>
      <button
        type="button"
        onClick={() => {
          const file = svgFile('svg.topology', 'topology.svg');
          if (file) download(file);
          else setError('the topology is not on screen');
        }}
        title="The topology as SVG"
      >
        Topology as SVG
      </button>
      <button
        type="button"
        onClick={() => {
          const file = svgFile('svg.statechart', 'statechart.svg');
          if (file) download(file);
          else setError('the statechart is not on screen');
        }}
        title="The statechart as SVG"
      >
        Statechart as SVG
      </button>
      <button type="button" onClick={() => input.current?.click()} title="Open a scenario file">
        Open scenario file…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Scenario file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          void file.text().then((text) => {
            const read = readScenarioFile(file.name, text);
            if ('error' in read) setError(read.error);
            else {
              setError(null);
              openScenario(read.scenario);
            }
          });
        }}
      />
      {error !== null && (
        <p className="file-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
