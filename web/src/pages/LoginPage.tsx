/** Login: an owner, admin or viewer key for an HttpOnly session cookie. */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useLocation, useNavigate } from 'react-router';
import { useLogin } from '../auth';

export default function LoginPage() {
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/overview';
  const form = useForm({
    initialValues: { key: '' },
    validate: { key: (value) => (value.trim() === '' ? 'Enter your key' : null) },
  });

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} component="main">
        <form
          onSubmit={form.onSubmit(({ key }) => {
            login.mutate(key.trim(), {
              onSuccess: () =>
                void navigate(from === '/login' ? '/overview' : from, { replace: true }),
            });
          })}
        >
          <Stack>
            <Title order={1} size="h3">
              Signalbox
            </Title>
            <Text size="sm" c="dimmed">
              Log in with the master key (printed at first start) or an admin or viewer key.
            </Text>
            <PasswordInput
              label="Key"
              placeholder="sb-…"
              autoComplete="current-password"
              data-autofocus
              autoFocus
              {...form.getInputProps('key')}
            />
            {login.isError && (
              <Alert color="red" variant="light" role="alert" title="Login failed">
                {login.error.message}
              </Alert>
            )}
            <Button type="submit" loading={login.isPending}>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
