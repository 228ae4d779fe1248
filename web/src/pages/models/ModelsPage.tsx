/**
 * The catalogue browser (GET /admin/catalog/models): full-text search, capability, price,
 * context and author filters, sort, cursor paging; select rows to compare (2–6) or to enable
 * or disable in bulk; sync with live progress; and a recommendation tab.
 */
import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { capabilityOptions } from './capabilities';
import { ModelsTable } from './ModelsTable';
import { RecommendPanel } from './RecommendPanel';
import { SyncButton } from './SyncButton';

const contextOptions = [
  { value: '', label: 'Any' },
  { value: '8000', label: '≥ 8K' },
  { value: '32000', label: '≥ 32K' },
  { value: '128000', label: '≥ 128K' },
  { value: '200000', label: '≥ 200K' },
  { value: '1000000', label: '≥ 1M' },
];

const sortOptions = [
  { value: 'name', label: 'Name' },
  { value: 'price', label: 'Price (cheapest first)' },
  { value: 'context', label: 'Context (largest first)' },
  { value: 'newest', label: 'Newest' },
];

type Sort = 'name' | 'price' | 'context' | 'newest';

function Browse() {
  const session = useSession();
  const editable = canEdit(session.data);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text, 250);
  const [supports, setSupports] = useState<string[]>([]);
  const [providers, setProviders] = useState<string[]>([]);
  const [maxPrompt, setMaxPrompt] = useState<number | string>('');
  const [minContext, setMinContext] = useState('');
  const [freeOnly, setFreeOnly] = useState(false);
  const [enabled, setEnabled] = useState('all');
  const [sort, setSort] = useState<Sort>('name');
  const [selected, setSelected] = useState<string[]>([]);

  const query = {
    ...(q.trim() === '' ? {} : { q: q.trim() }),
    ...(supports.length === 0 ? {} : { supports: supports.join(',') }),
    ...(providers.length === 0 ? {} : { provider: providers.join(',') }),
    ...(maxPrompt === '' ? {} : { max_prompt_price: String(maxPrompt) }),
    ...(minContext === '' ? {} : { min_context: minContext }),
    ...(freeOnly ? { free: 'true' as const } : {}),
    ...(enabled === 'all'
      ? {}
      : { enabled: enabled === 'enabled' ? ('true' as const) : ('false' as const) }),
    sort,
    limit: '50',
  };
  const models = useInfiniteQuery({
    queryKey: ['catalog', 'models', query],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/admin/catalog/models', {
          params: { query: { ...query, ...(pageParam === null ? {} : { cursor: pageParam }) } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor,
  });
  const rows = models.data?.pages.flatMap((page) => page.data) ?? [];
  const total = models.data?.pages[0]?.total;

  const bulk = useMutation({
    mutationFn: async (action: 'enable' | 'disable') =>
      unwrap(
        await api.POST(
          action === 'enable' ? '/admin/catalog/models/enable' : '/admin/catalog/models/disable',
          { body: { ids: selected } },
        ),
      ),
    onSuccess: (result, action) => {
      notifications.show({
        message: `${action === 'enable' ? 'Enabled' : 'Disabled'} ${result.updated} model(s).`,
      });
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not changed', message: error.message }),
  });

  const toggle = (id: string) =>
    setSelected((current) =>
      current.includes(id) ? current.filter((item) => item !== id) : [...current, id],
    );

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="name, id or description"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          w={240}
        />
        <MultiSelect
          label="Capabilities"
          data={capabilityOptions}
          value={supports}
          onChange={setSupports}
          placeholder={supports.length === 0 ? 'Any' : undefined}
          w={230}
          clearable
        />
        <TagsInput
          label="Authors"
          placeholder={providers.length === 0 ? 'e.g. openai' : undefined}
          data={[
            'openai',
            'anthropic',
            'google',
            'meta-llama',
            'mistralai',
            'deepseek',
            'qwen',
            'x-ai',
          ]}
          value={providers}
          onChange={setProviders}
          w={200}
          clearable
        />
        <NumberInput
          label="Max prompt $/1M"
          value={maxPrompt}
          onChange={setMaxPrompt}
          min={0}
          step={0.5}
          decimalScale={4}
          w={140}
        />
        <Select
          label="Context"
          data={contextOptions}
          value={minContext}
          onChange={(value) => setMinContext(value ?? '')}
          w={110}
          allowDeselect={false}
        />
        <Select
          label="Sort"
          data={sortOptions}
          value={sort}
          onChange={(value) => setSort((value ?? 'name') as Sort)}
          w={200}
          allowDeselect={false}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="enabled-filter-label">
            Status
          </Text>
          <SegmentedControl
            aria-labelledby="enabled-filter-label"
            data={[
              { value: 'all', label: 'All' },
              { value: 'enabled', label: 'Enabled' },
              { value: 'disabled', label: 'Disabled' },
            ]}
            value={enabled}
            onChange={setEnabled}
          />
        </Stack>
        <Checkbox
          label="Free only"
          checked={freeOnly}
          onChange={(event) => setFreeOnly(event.currentTarget.checked)}
          mb={8}
        />
      </Group>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" role="status">
          {total === undefined ? 'Loading…' : `${total} model${total === 1 ? '' : 's'}`}
          {selected.length > 0 && ` · ${selected.length} selected`}
        </Text>
        <Group gap="xs">
          <Button
            variant="light"
            disabled={selected.length < 2 || selected.length > 6}
            onClick={() =>
              void navigate(`/models/compare?ids=${selected.map(encodeURIComponent).join(',')}`)
            }
          >
            Compare ({selected.length})
          </Button>
          {editable && (
            <>
              <Button
                variant="default"
                disabled={selected.length === 0}
                onClick={() => bulk.mutate('enable')}
              >
                Enable
              </Button>
              <Button
                variant="default"
                color="red"
                disabled={selected.length === 0}
                onClick={() => bulk.mutate('disable')}
              >
                Disable
              </Button>
            </>
          )}
          {selected.length > 0 && (
            <Button variant="subtle" onClick={() => setSelected([])}>
              Clear selection
            </Button>
          )}
        </Group>
      </Group>
      {models.isError && <Text c="red">{models.error.message}</Text>}
      <ModelsTable rows={rows} selected={selected} onToggle={toggle} />
      {models.isSuccess && rows.length === 0 && (
        <Text c="dimmed">No model matches these filters.</Text>
      )}
      {models.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void models.fetchNextPage()}
          loading={models.isFetchingNextPage}
          w={160}
        >
          Load more
        </Button>
      )}
    </Stack>
  );
}

export default function ModelsPage() {
  const session = useSession();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Models</Title>
        {canEdit(session.data) && <SyncButton />}
      </Group>
      <Tabs defaultValue="browse" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="browse">Browse</Tabs.Tab>
          <Tabs.Tab value="recommend">Recommend</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="browse" pt="md">
          <Browse />
        </Tabs.Panel>
        <Tabs.Panel value="recommend" pt="md">
          <RecommendPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
