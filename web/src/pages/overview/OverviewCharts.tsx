/** The overview's time series (@mantine/charts, loaded with this chunk only). */
import { AreaChart, LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Card, SimpleGrid, Text } from '@mantine/core';
import { memo } from 'react';

export interface OverviewPoint {
  /** Axis label of the interval's start. */
  t: string;
  requests: number;
  errors: number;
  cost: number;
  latencyP95: number | null;
  ttftP95: number | null;
}

function OverviewCharts({ points }: { points: OverviewPoint[] }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }}>
      <Card withBorder>
        <Text fw={600} size="sm" mb="xs">
          Requests and errors
        </Text>
        <div role="img" aria-label="Requests and errors over time">
          <AreaChart
            h={200}
            data={points}
            dataKey="t"
            series={[
              { name: 'requests', color: 'indigo.6' },
              { name: 'errors', color: 'red.6' },
            ]}
            curveType="monotone"
            withDots={false}
          />
        </div>
      </Card>
      <Card withBorder>
        <Text fw={600} size="sm" mb="xs">
          Spend (USD)
        </Text>
        <div role="img" aria-label="Spend over time">
          <AreaChart
            h={200}
            data={points}
            dataKey="t"
            series={[{ name: 'cost', label: 'USD', color: 'teal.6' }]}
            curveType="monotone"
            withDots={false}
            valueFormatter={(value) => `$${value.toPrecision(3)}`}
          />
        </div>
      </Card>
      <Card withBorder>
        <Text fw={600} size="sm" mb="xs">
          Latency and TTFT, p95 (ms)
        </Text>
        <div role="img" aria-label="Latency and time to first token p95 over time">
          <LineChart
            h={200}
            data={points}
            dataKey="t"
            series={[
              { name: 'latencyP95', label: 'latency p95', color: 'grape.6' },
              { name: 'ttftP95', label: 'TTFT p95', color: 'orange.6' },
            ]}
            connectNulls
          />
        </div>
      </Card>
    </SimpleGrid>
  );
}

/** Redrawn only when `points` changes. */
export default memo(OverviewCharts);
