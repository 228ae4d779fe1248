/** Prompt and completion price per 1M tokens over time (@mantine/charts). */
import { LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { perMillion } from '../../format';

interface PriceVersion {
  pricing: { prompt: string; completion: string };
  effective_from: string;
}

export default function PriceHistoryChart({ history }: { history: PriceVersion[] }) {
  const points = history.map((version) => ({
    date: new Date(version.effective_from).toLocaleDateString(),
    prompt: perMillion(version.pricing.prompt),
    completion: perMillion(version.pricing.completion),
  }));
  // One version is a flat line: repeat it at today so the chart shows a segment.
  const last = points.at(-1);
  if (points.length === 1 && last !== undefined)
    points.push({ ...last, date: new Date().toLocaleDateString() });
  return (
    <LineChart
      h={220}
      data={points}
      dataKey="date"
      curveType="stepAfter"
      withLegend
      valueFormatter={(value) => `$${value.toFixed(3)}`}
      series={[
        { name: 'prompt', label: 'Prompt $/1M', color: 'indigo.6' },
        { name: 'completion', label: 'Completion $/1M', color: 'teal.6' },
      ]}
    />
  );
}
