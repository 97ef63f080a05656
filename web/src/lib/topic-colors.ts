/** Line colors of radstream's default topic names in the rate chart. */
export const TOPIC_COLORS: Readonly<Record<string, string>> = {
  'radiation-data': '#1c7ed6',
  'processed-data-output': '#2f9e44',
  'critical-data': '#ae3ec9',
  'dirty-data': '#868e96',
};

/** Colors of other topic names, taken in order of the topic's position. */
export const FALLBACK_TOPIC_COLORS = ['#e8590c', '#0c8599', '#5c940d', '#c2255c'] as const;

export function topicColor(topic: string, index: number): string {
  return TOPIC_COLORS[topic] ?? FALLBACK_TOPIC_COLORS[index % FALLBACK_TOPIC_COLORS.length] ?? '#000000';
}
