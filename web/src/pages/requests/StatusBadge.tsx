import { Badge, Text } from '@mantine/core';

/** `success` as a green badge; an error code in full, in red (codes are long: never cut). */
export function StatusBadge({ status }: { status: string }) {
  if (status === 'success')
    return (
      <Badge color="teal" variant="light" tt="none">
        success
      </Badge>
    );
  return (
    <Text size="sm" c="red" ff="monospace" component="span">
      {status}
    </Text>
  );
}
