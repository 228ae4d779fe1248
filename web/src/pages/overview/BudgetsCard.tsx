/**
 * The overview's "Budgets" card: spend today / this month against every project and key budget
 * (GET /admin/budgets, fullest first), each as a spend-and-reservations bar; the fullest six
 * shown, the rest on the keys page.
 */
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { BudgetBar } from '../keys/BudgetBar';
import type { overviewQueries } from './overview-queries';

const SHOWN = 6;

export function BudgetsCard({ query }: { query: ReturnType<typeof overviewQueries>['budgets'] }) {
  const budgets = useQuery(query);
  const shown = (budgets.data ?? []).slice(0, SHOWN);
  const hidden = (budgets.data?.length ?? 0) - shown.length;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          Budgets
        </Text>
        <Anchor component={Link} to="/keys" size="sm" underline="always">
          {hidden > 0 ? `${hidden} more on Keys & projects` : 'Keys & projects'}
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="lg" data-testid="budgets">
        {shown.map((budget) => (
          <Stack
            gap={4}
            key={`${budget.scope}:${budget.id}`}
            role="group"
            aria-label={`${budget.scope} ${budget.name}`}
          >
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {budget.name}
              </Text>
              <Badge variant="light" size="sm" tt="none" color="gray">
                {budget.scope}
              </Badge>
            </Group>
            <BudgetBar
              use={{ ...budget, budget: { limit_usd: budget.limit_usd, period: budget.period } }}
              label={`Budget of ${budget.scope} ${budget.name}`}
            />
          </Stack>
        ))}
      </SimpleGrid>
      {budgets.isSuccess && budgets.data.length === 0 && (
        <Text size="sm" c="dimmed">
          No budget yet: set one on a key or project.
        </Text>
      )}
      {budgets.isError && (
        <Text size="sm" c="red">
          {budgets.error.message}
        </Text>
      )}
    </Card>
  );
}
