import type { ConnectionStatus } from '../hooks/use-live-feed';

export interface ConnectionIndicatorProps {
  status: ConnectionStatus;
}

const STATUS_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function ConnectionIndicator({ status }: ConnectionIndicatorProps) {
  return (
    <span className={`connection connection--${status}`} role="status" aria-live="polite">
      <span className="connection__dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}
