// What the worker's run states do to an element, as one pure table: the element's new state, what the
// live region says, and whether training stops being wanted (done, diverged) or commanded.
import type { RunState } from '../worker/protocol.js';
import { engineText } from './status.js';
import type { Notice } from './template.js';
import type { CherBackendDetail, ElementState } from './types.js';

export interface RunStateContext {
  current: ElementState;
  engine: CherBackendDetail | null;
  iteration: number;
  wantRun: boolean;
  /** The worker's text with the state (e.g. "stopped after 40 iterations"). */
  message?: string;
  /** The element's results in a sentence, appended when training pauses or ends. */
  summary: string;
}

export interface RunStateChange {
  state: ElementState;
  announcement: string;
  /** The worker is no longer running this session. */
  commandEnds: boolean;
  /** Training should not resume by itself (it finished, or diverged). */
  wantEnds: boolean;
  notice?: Notice;
}

export function runStateChange(run: RunState, c: RunStateContext): RunStateChange {
  switch (run) {
    case 'idle':
      return { state: 'ready', announcement: `Ready on ${engineText(c.engine)}.${c.wantRun ? '' : ' Press Start to train.'}`, commandEnds: false, wantEnds: false };
    case 'training':
      return { state: 'training', announcement: `Training on ${engineText(c.engine)}.`, commandEnds: false, wantEnds: false };
    case 'paused':
      // A pause that lands while a new configuration loads belongs to the old one.
      return { state: c.current === 'loading' ? 'loading' : 'paused', announcement: `Paused at iteration ${c.iteration}.${c.summary}`, commandEnds: true, wantEnds: false };
    case 'done':
      return { state: 'done', announcement: `Finished: ${c.message ?? ''}.${c.summary}`, commandEnds: true, wantEnds: true };
    case 'diverged':
      return {
        state: 'diverged',
        announcement: 'Training diverged; the last good weights were restored.',
        commandEnds: true,
        wantEnds: true,
        notice: {
          kind: 'error',
          title: 'Training diverged.',
          text: `The loss stopped being finite at iteration ${c.iteration}; training stopped and the last good weights were restored. Try a smaller learning rate, then Start.`,
        },
      };
  }
}
