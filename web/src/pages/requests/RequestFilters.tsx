/**
 * The request log's filters, kept in the URL (shareable, back-button friendly): time range,
 * model, provider, status, policy, key, project and cost range — exactly the query parameters
 * of GET /admin/requests. Text fields apply after a short pause.
 */
import { Autocomplete, Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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
function usd(value: number | string): string | null {
  if (value === '') return null;
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

function DebouncedText({
  label,
  value,
  onChange,
  ...rest
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  w?: number;
}) {
  const [text, setText] = useState(value);
  const apply = useDebouncedCallback(onChange, 350);
  return (
    <TextInput
      label={label}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        apply(event.currentTarget.value.trim());
      }}
      {...rest}
    />
  );
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
  const [modelText, setModelText] = useState(params.get('model') ?? '');
  const applyModel = useDebouncedCallback((value: string) => set('model', value), 350);

  function set(key: (typeof FILTER_KEYS)[number], value: string | null) {
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  }
  const active = FILTER_KEYS.some((key) => params.has(key));
  // Clearing remounts the inputs once the URL has no filter, so the uncontrolled ones empty too.
  const [generation, setGeneration] = useState(0);
  const [clearing, setClearing] = useState(false);
  useEffect(() => {
    if (clearing && !active) {
      setClearing(false);
      setGeneration((value) => value + 1);
    }
  }, [clearing, active]);

  return (
    <Group key={generation} align="end" gap="sm" role="search" aria-label="Filter requests">
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
        value={params.get('range') ?? ''}
        onChange={(value) => set('range', value)}
        allowDeselect={false}
      />
      <Autocomplete
        label="Model"
        placeholder="requested or served"
        w={230}
        data={models.data ?? []}
        limit={30}
        value={modelText}
        onChange={(value) => {
          setModelText(value);
          applyModel(value.trim());
        }}
      />
      <Select
        label="Provider"
        w={140}
        placeholder="any"
        clearable
        data={(readiness.data?.providers ?? []).map((provider) => provider.id)}
        value={params.get('provider')}
        onChange={(value) => set('provider', value)}
      />
      <Autocomplete
        label="Status"
        placeholder="any"
        w={170}
        data={STATUSES}
        defaultValue={params.get('status') ?? ''}
        onChange={(value) => set('status', value.trim())}
      />
      <Select
        label="Policy"
        w={150}
        placeholder="any"
        clearable
        searchable
        data={[...new Set(['auto', ...(policies.data ?? []).map((policy) => policy.name)])]}
        value={params.get('policy')}
        onChange={(value) => set('policy', value)}
      />
      <DebouncedText
        label="Key id"
        w={130}
        placeholder="any"
        value={params.get('key_id') ?? ''}
        onChange={(value) => set('key_id', value)}
      />
      <DebouncedText
        label="Project id"
        w={130}
        placeholder="any"
        value={params.get('project_id') ?? ''}
        onChange={(value) => set('project_id', value)}
      />
      <NumberInput
        label="Min cost ($)"
        w={110}
        min={0}
        decimalScale={9}
        defaultValue={params.get('min_cost_usd') ?? ''}
        onChange={(value) => set('min_cost_usd', usd(value))}
      />
      <NumberInput
        label="Max cost ($)"
        w={110}
        min={0}
        decimalScale={9}
        defaultValue={params.get('max_cost_usd') ?? ''}
        onChange={(value) => set('max_cost_usd', usd(value))}
      />
      {active && (
        <Button
          variant="subtle"
          onClick={() => {
            setModelText('');
            setClearing(true);
            setParams(new URLSearchParams(), { replace: true });
          }}
        >
          Clear filters
        </Button>
      )}
    </Group>
  );
}
