/** Timeline and sequence views (being built). */
export function TimelinePanel() {
  return <section className="panel timeline-panel" aria-label="Timeline" />;
}
