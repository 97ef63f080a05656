import { useMemo } from 'react';

import { scaleChart } from '../lib/chart-scale';
import { formatRate } from '../lib/format';
import { SAMPLE_WINDOW_MS, type StatsSample } from '../lib/stats-samples';
import { topicColor } from '../lib/topic-colors';

export interface TopicRateChartProps {
  /** Polls of the last two minutes, oldest first. */
  samples: readonly StatsSample[];
}

const CHART_WIDTH = 300;
const CHART_HEIGHT = 90;

/** Records per second of each topic over the last two minutes, drawn as SVG lines. */
export function TopicRateChart({ samples }: TopicRateChartProps) {
  const latest = samples[samples.length - 1];
  const scale = useMemo(
    () => scaleChart(samples, { width: CHART_WIDTH, height: CHART_HEIGHT }, SAMPLE_WINDOW_MS, latest?.timeMs ?? 0),
    [samples, latest],
  );

  if (latest === undefined) {
    return <p className="empty">No topic rates yet: the server reports none, or no poll has succeeded.</p>;
  }

  return (
    <figure className="rate-chart">
      <div className="rate-chart__plot">
        <span className="rate-chart__axis rate-chart__axis--top">{formatRate(scale.yMax)}</span>
        <svg
          viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label="Records per second per topic over the last two minutes"
        >
          <line className="rate-chart__grid" x1={0} y1={CHART_HEIGHT / 2} x2={CHART_WIDTH} y2={CHART_HEIGHT / 2} />
          {scale.lines.map((line, index) => (
            <path
              key={line.topic}
              d={line.path}
              fill="none"
              stroke={topicColor(line.topic, index)}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </svg>
        <span className="rate-chart__axis rate-chart__axis--bottom">0</span>
      </div>
      <figcaption className="hint">Records per second, last 2 minutes</figcaption>
    </figure>
  );
}
