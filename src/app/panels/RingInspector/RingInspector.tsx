/** Ring inspector (being built). */
export function RingInspector() {
  return <section className="panel ring-inspector" aria-label="Ring inspector" />;
}
