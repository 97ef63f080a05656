import type { ReactNode } from 'react';

export interface ControlPanelProps {
  /** Whether the drawer is open on narrow screens; wide screens always show the panel. */
  open: boolean;
  onToggle: () => void;
  /** Number of undismissed alerts, shown on the drawer button. */
  alertCount: number;
  children: ReactNode;
}

/**
 * Column of panel sections at the right edge of wide screens. On narrow
 * screens it becomes a bottom drawer that a button opens and closes.
 */
export function ControlPanel({ open, onToggle, alertCount, children }: ControlPanelProps) {
  return (
    <>
      <button
        type="button"
        className="drawer-toggle"
        aria-expanded={open}
        aria-controls="control-panel"
        onClick={onToggle}
      >
        {open ? 'Hide controls' : 'Controls'}
        {alertCount > 0 && <span className="drawer-toggle__alerts">{alertCount}</span>}
      </button>
      <aside
        id="control-panel"
        className={open ? 'control-panel control-panel--open' : 'control-panel'}
        aria-label="Controls"
      >
        {children}
      </aside>
    </>
  );
}
