/**
 * Leaving a page with work not yet saved asks first: a route change within the app (the hash changes)
 * and the window being closed or reloaded. A part of the app that can hold unsaved work registers a
 * guard that says why leaving would lose something, or null when nothing would be lost.
 */

export type LeaveGuard = () => string | null;

const guards = new Set<LeaveGuard>();

/** Why leaving now would lose work (the first guard that objects); null when nothing would. */
export function leavingProblem(): string | null {
  for (const guard of guards) {
    const problem = guard();
    if (problem !== null) {
      return problem;
    }
  }
  return null;
}

/** True when nothing would be lost, or the reader chose to leave anyway. */
export function confirmLeaving(): boolean {
  const problem = leavingProblem();
  return problem === null || window.confirm(`${problem}\n\nLeave anyway?`);
}

/** The browser asks on its own words before a reload or close; the desktop app shows its own question. */
function onBeforeUnload(event: BeforeUnloadEvent): void {
  if (leavingProblem() !== null) {
    event.preventDefault();
    // Older browsers ask only when returnValue is set.
    event.returnValue = '';
  }
}

/** Registers a guard; returns its removal. */
export function guardLeaving(guard: LeaveGuard): () => void {
  if (guards.size === 0) {
    window.addEventListener('beforeunload', onBeforeUnload);
  }
  guards.add(guard);
  return () => {
    guards.delete(guard);
    if (guards.size === 0) {
      window.removeEventListener('beforeunload', onBeforeUnload);
    }
  };
}
