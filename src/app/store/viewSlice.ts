import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';

/** A window of time on the timeline, in trace nanoseconds. */
export interface Viewport {
  readonly startNs: number;
  readonly endNs: number;
}

export type TimelineMode = 'timeline' | 'sequence';
export type AppTab = 'debugger' | 'editor' | 'ports' | 'pbuf';

/** What the event list shows: empty sets mean "all". */
export interface EventFilter {
  readonly domains: readonly string[];
  readonly endpoints: readonly string[];
  readonly kinds: readonly string[];
  readonly text: string;
}

export const NO_FILTER: EventFilter = { domains: [], endpoints: [], kinds: [], text: '' };

/** How the user looks at the run: which window of time, which mode, which filters. */
export interface ViewSlice {
  tab: AppTab;
  /** The timeline's window; null = fit the whole trace. */
  viewport: Viewport | null;
  timelineMode: TimelineMode;
  eventFilter: EventFilter;
  /** The keyboard-shortcut overlay is open. */
  helpOpen: boolean;
  setTab: (tab: AppTab) => void;
  setViewport: (viewport: Viewport | null) => void;
  setTimelineMode: (mode: TimelineMode) => void;
  setEventFilter: (filter: Partial<EventFilter>) => void;
  setHelpOpen: (open: boolean) => void;
}

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set) => ({
  tab: 'debugger',
  viewport: null,
  timelineMode: 'timeline',
  eventFilter: NO_FILTER,
  helpOpen: false,
  setTab: (tab) => set({ tab }),
  setViewport: (viewport) => set({ viewport }),
  setTimelineMode: (timelineMode) => set({ timelineMode }),
  setEventFilter: (filter) => set((s) => ({ eventFilter: { ...s.eventFilter, ...filter } })),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});
