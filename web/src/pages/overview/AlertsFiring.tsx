/** The overview's "Alerts firing" card: enabled rules in the firing state, linking to the alerts page. */
import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { describeCondition, formatMetric } from '../alerts/alert-format';
import { useAlertRules } from '../alerts/use-alert-rules';

export function AlertsFiring() {
  const rules = useAlertRules();
  const firing = (rules.data ?? []).filter((rule) => rule.enabled && rule.state === 'firing');
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          Alerts firing
        </Text>
        <Badge
          color={firing.length > 0 ? 'red' : 'teal'}
          variant="light"
          data-testid="alerts-firing-count"
        >
          {rules.data === undefined ? '—' : firing.length}
        </Badge>
      </Group>
      <Stack gap={4}>
        {firing.map((rule) => (
          <Text size="sm" key={rule.id}>
            <Anchor component={Link} to="/alerts" size="sm" fw={600}>
              {rule.name}
            </Anchor>{' '}
            — {describeCondition(rule)}; now {formatMetric(rule.metric, rule.last_value)}
          </Text>
        ))}
        {rules.isSuccess && firing.length === 0 && (
          <Text size="sm" c="dimmed">
            {rules.data.length === 0 ? 'No alert rule yet.' : 'None: every rule is quiet.'}{' '}
            <Anchor component={Link} to="/alerts" size="sm">
              Alert rules
            </Anchor>
          </Text>
        )}
        {rules.isError && (
          <Text size="sm" c="red">
            {rules.error.message}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
