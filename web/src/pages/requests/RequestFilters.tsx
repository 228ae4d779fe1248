/**
 * The request log's filters, kept in the URL (shareable, back-button friendly): time range,
 * model, provider, status, policy, key, project and cost range — exactly the query parameters
 * of GET /admin/requests. Text fields apply after a short pause.
 */
import { Autocomplete, Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SetURLSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useModelOptions, useReadiness } from '../routing/options';

export const FILTER_KEYS = [
  'range',
  'model',
  'provider',
  'status',
  'policy',
  'key_id',
  'project_id',
  'min_cost_usd',
  'max_cost_usd',
] as const;

/** `success`, `error` (any failure) and the codes a ledger row most often carries. */
const STATUSES = [
  'success',
  'error',
  'upstream_error',
  'upstream_timeout',
  'upstream_unavailable',
  'stream_interrupted',
  'client_closed_request',
  'rate_limited',
  'cost_limit_exceeded',
  'unsupported_capability',
  'model_not_found',
];

/** A USD amount as the API takes it (no exponent). */
function usd(value: string): string | null {
  if (value.trim() === '' || !Number.isFinite(Number(value))) return null;
  return Number(value)
    .toFixed(9)
    .replace(/\.?0+$/, '');
}

const RANGES: Record<string, number> = { '1h': 1, '24h': 24, '7d': 24 * 7, '30d': 24 * 30 };

/** The API query for the URL's filters (`range` becomes `from`). */
export function filterQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value === null || value === '') continue;
    if (key === 'range') {
      const hours = RANGES[value];
      if (hours !== undefined)
        // Rounded to the minute so the query key (and the cache) is stable while typing.
        query.from = new Date(
          Math.floor((Date.now() - hours * 3_600_000) / 60_000) * 60_000,
        ).toISOString();
    } else query[key] = value;
  }
  return query;
}

type FilterKey = (typeof FILTER_KEYS)[number];
type Draft = Record<FilterKey, string>;

function draftOf(params: URLSearchParams): Draft {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as Draft;
}

export function RequestFilters({
  params,
  setParams,
}: {
  params: URLSearchParams;
  setParams: SetURLSearchParams;
}) {
  const models = useModelOptions();
  const readiness = useReadiness();
  const policies = useQuery({
    queryKey: ['routing', 'policies'],
    queryFn: async () => unwrap(await api.GET('/admin/routing/policies')).data,
    staleTime: 60_000,
  });
  // Every input shows this draft; the URL (and so the query) follows it, typed text after a
  // short pause, choices at once.
  const [draft, setDraft] = useState<Draft>(() => draftOf(params));
  const publish = (next: Draft) => {
    const query: Record<string, string> = {};
    for (const key of FILTER_KEYS) {
      const value = key.endsWith('_cost_usd') ? usd(next[key]) : next[key].trim();
      if (value !== null && value !== '') query[key] = value;
    }
    setParams(query, { replace: true });
  };
  const publishLater = useDebouncedCallback(publish, 350);
  const type = (key: FilterKey) => (value: string) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    publishLater(next);
  };
  const choose = (key: FilterKey) => (value: string | null) => {
    const next = { ...draft, [key]: value ?? '' };
    setDraft(next);
    publishLater.cancel();
    publish(next);
  };
  const active = FILTER_KEYS.some((key) => draft[key] !== '');

  return (
    <Group align="end" gap="sm" role="search" aria-label="Filter requests">
      <Select
        label="Time"
        w={120}
        data={[
          { value: '', label: 'All time' },
          { value: '1h', label: 'Last hour' },
          { value: '24h', label: 'Last 24 h' },
          { value: '7d', label: 'Last 7 days' },
          { value: '30d', label: 'Last 30 days' },
        ]}
        value={draft.range}
        onChange={choose('range')}
        allowDeselect={false}
      />
      <Autocomplete
        label="Model"
        placeholder="requested or served"
        w={230}
        data={models.data ?? []}
        limit={30}
        value={draft.model}
        onChange={type('model')}
      />
      <Select
        label="Provider"
        w={140}
        placeholder="any"
        clearable
        data={(readiness.data?.providers ?? []).map((provider) => provider.id)}
        value={draft.provider === '' ? null : draft.provider}
        onChange={choose('provider')}
      />
      <Autocomplete
        label="Status"
        placeholder="any"
        w={170}
        data={STATUSES}
        value={draft.status}
        onChange={type('status')}
      />
      <Select
        label="Policy"
        w={150}
        placeholder="any"
        clearable
        searchable
        data={[...new Set(['auto', ...(policies.data ?? []).map((policy) => policy.name)])]}
        value={draft.policy === '' ? null : draft.policy}
        onChange={choose('policy')}
      />
      <TextInput
        label="Key id"
        w={130}
        placeholder="any"
        value={draft.key_id}
        onChange={(event) => type('key_id')(event.currentTarget.value)}
      />
      <TextInput
        label="Project id"
        w={130}
        placeholder="any"
        value={draft.project_id}
        onChange={(event) => type('project_id')(event.currentTarget.value)}
      />
      <NumberInput
        label="Min cost ($)"
        w={110}
        min={0}
        decimalScale={9}
        value={draft.min_cost_usd}
        onChange={(value) => type('min_cost_usd')(String(value))}
      />
      <NumberInput
        label="Max cost ($)"
        w={110}
        min={0}
        decimalScale={9}
        value={draft.max_cost_usd}
        onChange={(value) => type('max_cost_usd')(String(value))}
      />
      {active && (
        <Button
          variant="subtle"
          onClick={() => {
            const empty = draftOf(new URLSearchParams());
            setDraft(empty);
            publishLater.cancel();
            publish(empty);
          }}
        >
          Clear filters
        </Button>
      )}
    </Group>
  );
}
