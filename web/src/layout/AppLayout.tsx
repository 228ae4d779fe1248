/**
 * The shell of every logged-in page: header (name, demo badge, theme switch, account menu),
 * navigation to the ten pages, and the page. Without a session it sends the user to /login.
 */
import {
  ActionIcon,
  AppShell,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  Text,
  Title,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { onUnauthorized } from '../api/client';
import { readinessQuery } from '../api/readiness';
import { SESSION_KEY, useLogout, useSession } from '../auth';
import { pages } from '../pages-list';

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label={`Switch to ${next} theme`}
      onClick={() => setColorScheme(next)}
    >
      <span aria-hidden="true">{computed === 'dark' ? '☀' : '☾'}</span>
    </ActionIcon>
  );
}

function DemoBadge() {
  const { data } = useQuery({ ...readinessQuery(), staleTime: Infinity });
  if (data?.mode !== 'demo') return null;
  return (
    <Badge
      color="grape"
      variant="light"
      title="No OPENROUTER_API_KEY: the built-in emulator answers"
    >
      Demo mode
    </Badge>
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const logout = useLogout();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(
    () =>
      onUnauthorized(() => {
        void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      }),
    [queryClient],
  );

  // While the session is being read the page renders too, so its own API calls run in
  // parallel instead of after it; a missing session sends the user to the login page.
  if (session.data === null || session.isError)
    return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const me = session.data ?? { name: '…', role: '…' };

  const signOut = (everywhere: boolean) => {
    logout.mutate(everywhere, { onSettled: () => void navigate('/login', { replace: true }) });
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={1} size="h4">
              Signalbox
            </Title>
            <DemoBadge />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ThemeToggle />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton title="Account">
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500}>
                      {me.name}
                    </Text>
                    <Badge variant="outline" size="sm">
                      {me.role}
                    </Badge>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => signOut(false)}>Log out</Menu.Item>
                <Menu.Item onClick={() => signOut(true)}>Log out everywhere</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {pages.map((entry) => (
          <NavLink
            key={entry.path}
            component={RouterNavLink}
            to={`/${entry.path}`}
            label={entry.label}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
