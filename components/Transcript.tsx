// Finished cells: printed once into the terminal's own scrollback and never redrawn.
import { Static } from 'ink';
import React from 'react';
import { useStore } from '../src/tui/store.js';
import type { TuiState } from '../src/tui/state.js';
import { CellView } from './CellView.js';

export function Transcript({ state, width }: { state: TuiState; width: number }): React.JSX.Element {
  const { cells, epoch } = useStore(state.transcript, (t) => t);
  // A new epoch (after /clear) starts a new Static, which prints only what comes after.
  return (
    <Static key={epoch} items={cells}>
      {(cell) => <CellView key={cell.id} cell={cell} width={width} />}
    </Static>
  );
}
