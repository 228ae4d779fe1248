/**
 * A budget's use: settled spend and open reservations (worst-case cost of requests in flight)
 * against the limit, as a two-section bar with the figures beside it.
 */
import { Group, Progress, Stack, Text } from '@mantine/core';
import { formatUsd } from '../../format';

export interface BudgetUse {
  budget: { limit_usd: number; period: string } | null;
  spend_usd: number;
  reserved_usd: number;
  remaining_usd: number | null;
  period_start: string | null;
}

function percent(value: number, limit: number): number {
  return limit <= 0 ? 0 : Math.min(100, (value / limit) * 100);
}

export function BudgetBar({ use, label }: { use: BudgetUse; label: string }) {
  if (use.budget === null)
    return (
      <Text size="sm">
        No budget; spent {formatUsd(use.spend_usd)} in all
        {use.reserved_usd > 0 ? `, ${formatUsd(use.reserved_usd)} reserved` : ''}.
      </Text>
    );
  const { limit_usd: limit, period } = use.budget;
  const spent = percent(use.spend_usd, limit);
  const reserved = Math.min(100 - spent, percent(use.reserved_usd, limit));
  const color = spent + reserved >= 90 ? 'red' : spent + reserved >= 70 ? 'orange' : 'teal';
  return (
    <Stack gap={4}>
      <Progress.Root size="xl" aria-label={label}>
        <Progress.Section
          value={spent}
          color={color}
          aria-label={`Spent ${formatUsd(use.spend_usd)} of ${formatUsd(limit)}`}
        />
        <Progress.Section
          value={reserved}
          color="gray"
          aria-label={`Reserved ${formatUsd(use.reserved_usd)}`}
        />
      </Progress.Root>
      <Group justify="space-between">
        <Text size="sm" data-testid="budget-figures">
          {formatUsd(use.spend_usd)} spent + {formatUsd(use.reserved_usd)} reserved of{' '}
          {formatUsd(limit)} per {period === 'total' ? 'lifetime' : period}
        </Text>
        <Text size="sm" c="dimmed">
          {formatUsd(use.remaining_usd)} left
          {use.period_start === null
            ? ''
            : ` since ${new Date(use.period_start).toLocaleDateString()}`}
        </Text>
      </Group>
    </Stack>
  );
}
