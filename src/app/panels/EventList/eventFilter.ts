/**
 * The event list's filter over the trace table: the indices of the events that pass, extended as
 * the trace grows (a frame of a running trace costs only its new events) and rebuilt when the
 * filter or the events already held change.
 */
import { KINDS } from '../../../core';
import { eventLine, eventOwner } from '../../debug/describe';
import type { EventFilter } from '../../store/viewSlice';
import type { ColumnTrace } from '../../trace/TraceTable';
import { IndexList } from '../../trace/IndexList';

export class FilterIndex {
  private readonly list = new IndexList(1024);
  private scanned = 0;
  private epoch = -1;
  private filter: EventFilter | null = null;

  /** The indices of events that pass `filter`, in order (a view of internal storage). */
  update(table: ColumnTrace, filter: EventFilter): Uint32Array {
    if (table.epoch !== this.epoch || filter !== this.filter) {
      this.list.clear();
      this.scanned = 0;
      this.epoch = table.epoch;
      this.filter = filter;
    }
    const kinds = new Set(filter.kinds.map((k) => KINDS.findIndex((x) => x === k)));
    const domains = new Set(filter.domains);
    const endpoints = new Set(filter.endpoints);
    const text = filter.text.trim().toLowerCase();
    for (let i = this.scanned; i < table.length; i++) {
      if (kinds.size > 0 && !kinds.has(table.kind[i] ?? 255)) continue;
      if (domains.size > 0 && !domains.has(table.domains[Math.floor((table.lane[i] ?? 0) / 3)] ?? '')) continue;
      if (endpoints.size > 0 || text !== '') {
        const e = table.event(i);
        if (!e) continue;
        if (endpoints.size > 0) {
          const owner = eventOwner(e);
          const hit =
            (owner.endpoint !== null && endpoints.has(owner.endpoint)) ||
            (owner.endpoint === null &&
              owner.instance !== null &&
              [...endpoints].some((k) => k.startsWith(`${owner.instance ?? ''}/`)));
          if (!hit) continue;
        }
        if (text !== '' && !`${e.kind} ${e.domain} ${eventLine(e)}`.toLowerCase().includes(text)) continue;
      }
      this.list.push(i);
    }
    this.scanned = table.length;
    return this.list.view();
  }
}
