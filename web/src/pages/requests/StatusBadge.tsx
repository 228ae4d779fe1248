import { Badge } from '@mantine/core';

/** `success` green, anything else (an error code) red. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={status === 'success' ? 'teal' : 'red'} variant="light" tt="none">
      {status}
    </Badge>
  );
}
