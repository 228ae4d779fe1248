/** A page whose admin API does not exist yet: what it will show and what it is coming with. */
import { Alert, Stack, Text, Title } from '@mantine/core';
import type { PageEntry } from '../pages-list';

export function ComingSoonPage({ entry }: { entry: PageEntry }) {
  return (
    <Stack maw={720}>
      <Title order={2}>{entry.label}</Title>
      <Alert variant="light" color="gray" title={`Coming with ${entry.comingWith ?? ''}`}>
        <Text size="sm">{entry.description}</Text>
        <Text size="sm" mt="xs">
          This page shows real data only; it stays empty until that API ships.
        </Text>
      </Alert>
    </Stack>
  );
}
