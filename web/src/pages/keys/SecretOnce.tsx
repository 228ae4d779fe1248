/**
 * A new key's secret, shown this once (the gateway keeps only its hash), with a copy button.
 */
import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert
        color="yellow"
        title="Copy the key now"
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
      >
        This is the only time the secret is shown: the gateway stores only its hash.
      </Alert>
      <Code block data-testid="new-secret" aria-label="New API key secret">
        {secret}
      </Code>
      <Group justify="space-between">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? 'Copied' : 'Copy key'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>I have stored it</Button>
      </Group>
      <Text size="xs" c="dimmed">
        Use it as <code>Authorization: Bearer …</code> against <code>/v1</code> or{' '}
        <code>/api/v1</code>.
      </Text>
    </Stack>
  );
}
