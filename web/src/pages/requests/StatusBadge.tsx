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
    <Text
      size="sm"
      ff="monospace"
      component="span"
      // Red with AA contrast on white, striped and dark rows alike.
      style={{ color: 'light-dark(var(--mantine-color-red-9), var(--mantine-color-red-3))' }}
    >
      {status}
    </Text>
  );
}
