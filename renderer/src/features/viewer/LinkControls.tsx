import type { ReactElement } from 'react';
import { syncService, useSync } from '../../imaging/sync-service.ts';
import './sync.css';

/**
 * The toolbar's Link button: the reader aligns one slice pair across the studies, then links; the
 * slices then move together keeping that offset. Unlink ends it. Any view with a manual slice group
 * can show it (the series viewer's toolbar, the hanging view's).
 */
export function LinkButton(): ReactElement {
  const linkable = useSync((state) => state.linkable);
  const linked = useSync((state) => state.linkedSlots.length > 0);
  return (
    <button
      type="button"
      className={linked ? 'tool active' : 'tool'}
      aria-pressed={linked}
      disabled={!linkable}
      title="Align one slice pair across the studies, then link: the slices move together keeping that offset (K)"
      onClick={() => syncService.toggleLink()}
    >
      {linked ? 'Unlink' : 'Link'}
    </button>
  );
}

/** Whether a viewport is linked, for its cell's class and data attribute. */
export function useLinked(slot: string): boolean {
  return useSync((state) => state.linkedSlots.includes(slot));
}

/** The tag a linked viewport's cell shows (the cell carries the `linked` class and data-linked too). */
export function LinkBadge({ slot }: { slot: string }): ReactElement | null {
  return useLinked(slot) ? (
    <div className="link-badge" title="Slices move with the other linked viewports, keeping the offset set when linked">Linked</div>
  ) : null;
}
