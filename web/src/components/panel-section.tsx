import type { ReactNode } from 'react';

export interface PanelSectionProps {
  title: string;
  /** Summary shown next to the title, such as a count; stays visible while collapsed. */
  badge?: ReactNode;
  defaultOpen?: boolean;
  /** Stable id for tests and links, such as `system`. */
  id: string;
  children: ReactNode;
}

/** Renders a collapsible section of the control panel. */
export function PanelSection({ title, badge, defaultOpen = true, id, children }: PanelSectionProps) {
  return (
    <details className="panel-section" open={defaultOpen} data-testid={`section-${id}`}>
      <summary className="panel-section__summary">
        <span className="panel-section__title">{title}</span>
        {badge !== undefined && <span className="panel-section__badge">{badge}</span>}
      </summary>
      <div className="panel-section__body">{children}</div>
    </details>
  );
}
