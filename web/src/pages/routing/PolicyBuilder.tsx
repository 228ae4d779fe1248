/**
 * The policy builder: candidates by list (each pinned to provider instances, in fallback
 * order, moved with buttons) or by a catalogue filter; the strategy with the cost ↔
 * performance slider; fallbacks, TTFT deadline and cost cap; advanced JSON (quality, weights,
 * variants). The test panel beside it explains sample requests against the unsaved draft.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Grid,
  Group,
  JsonInput,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { capabilityOptions } from '../models/capabilities';
import { useModelOptions, useReadiness } from './options';
import { costWeightLabel, policyFromForm, strategies, type PolicyFormValues } from './policy-form';
import { POLICIES_KEY } from './RoutingPage';
import { TestPanel } from './TestPanel';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function PolicyBuilder({
  initial,
  isNew,
  editable,
}: {
  initial: PolicyFormValues;
  isNew: boolean;
  editable: boolean;
}) {
  const form = useForm<PolicyFormValues>({
    mode: 'controlled',
    initialValues: initial,
    validate: {
      name: (value) =>
        NAME.test(value) ? null : 'Lower-case letters, digits, ".", "_" or "-" (1–64).',
      candidates: (value, values) =>
        values.mode === 'candidates' && value.every((row) => row.model.trim() === '')
          ? 'Add at least one model.'
          : null,
      advanced: (value) => {
        try {
          const parsed: unknown = JSON.parse(value.trim() === '' ? '{}' : value);
          return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
            ? null
            : 'A JSON object.';
        } catch {
          return 'Not valid JSON.';
        }
      },
    },
  });
  const models = useModelOptions();
  const readiness = useReadiness();
  const providerIds = (readiness.data?.providers ?? []).map((provider) => provider.id);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const values = form.getValues();

  const save = useMutation({
    mutationFn: async (document: Record<string, unknown>) =>
      isNew
        ? unwrap(await api.POST('/admin/routing/policies', { body: document }))
        : unwrap(
            await api.PUT('/admin/routing/policies/{name}', {
              params: { path: { name: initial.name } },
              body: document,
            }),
          ),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: `Saved signalbox/${saved.name} as version ${saved.version}.`,
      });
      queryClient.setQueryData(['routing', 'policy', saved.name], saved);
      await queryClient.invalidateQueries({ queryKey: POLICIES_KEY });
      await queryClient.invalidateQueries({ queryKey: ['routing', 'versions', saved.name] });
      if (isNew) void navigate(`/routing/${saved.name}`, { replace: true });
    },
  });

  const draft = (): Record<string, unknown> | null => {
    if (form.validate().hasErrors) return null;
    return policyFromForm(form.getValues());
  };

  const submit = form.onSubmit((submitted) => save.mutate(policyFromForm(submitted)));

  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <form onSubmit={submit} aria-label="Policy builder">
          <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
            <Stack>
              <Card withBorder>
                <Stack gap="sm">
                  <TextInput
                    label="Name"
                    description="Clients use it as the model id signalbox/<name>."
                    leftSection={
                      <Text size="sm" c="dimmed" pl={4}>
                        signalbox/
                      </Text>
                    }
                    leftSectionWidth={80}
                    readOnly={!isNew}
                    {...form.getInputProps('name')}
                  />
                  <Textarea
                    label="Description"
                    autosize
                    minRows={1}
                    {...form.getInputProps('description')}
                  />
                </Stack>
              </Card>
              <Card withBorder>
                <Stack gap="sm">
                  <Group justify="space-between">
                    <Text fw={600} id="targets-label">
                      Targets
                    </Text>
                    <SegmentedControl
                      aria-labelledby="targets-label"
                      data={[
                        { value: 'candidates', label: 'Model list' },
                        { value: 'filter', label: 'Catalogue filter' },
                      ]}
                      {...form.getInputProps('mode')}
                    />
                  </Group>
                  {values.mode === 'candidates' ? (
                    <Stack gap="xs">
                      <Text size="xs" c="dimmed">
                        In preference order: with the “ordered” strategy this is the fallback chain.
                      </Text>
                      {values.candidates.map((_, index) => (
                        <Group
                          key={form.key(`candidates.${index}`)}
                          align="end"
                          wrap="nowrap"
                          gap="xs"
                        >
                          <Select
                            label={`Model ${index + 1}`}
                            searchable
                            data={models.data ?? []}
                            limit={50}
                            style={{ flex: 2 }}
                            {...form.getInputProps(`candidates.${index}.model`)}
                          />
                          <MultiSelect
                            label={`Providers for model ${index + 1}`}
                            placeholder="any"
                            data={providerIds}
                            style={{ flex: 1 }}
                            {...form.getInputProps(`candidates.${index}.providers`)}
                          />
                          <ActionIcon
                            variant="default"
                            size="lg"
                            aria-label={`Move model ${index + 1} up`}
                            disabled={index === 0}
                            onClick={() =>
                              form.reorderListItem('candidates', { from: index, to: index - 1 })
                            }
                          >
                            ↑
                          </ActionIcon>
                          <ActionIcon
                            variant="default"
                            size="lg"
                            aria-label={`Move model ${index + 1} down`}
                            disabled={index === values.candidates.length - 1}
                            onClick={() =>
                              form.reorderListItem('candidates', { from: index, to: index + 1 })
                            }
                          >
                            ↓
                          </ActionIcon>
                          <ActionIcon
                            variant="default"
                            size="lg"
                            color="red"
                            aria-label={`Remove model ${index + 1}`}
                            onClick={() => form.removeListItem('candidates', index)}
                          >
                            ✕
                          </ActionIcon>
                        </Group>
                      ))}
                      {form.errors.candidates !== undefined && (
                        <Text c="red" size="sm">
                          {form.errors.candidates}
                        </Text>
                      )}
                      <Button
                        variant="default"
                        size="xs"
                        w={140}
                        onClick={() =>
                          form.insertListItem('candidates', { model: '', providers: [] })
                        }
                      >
                        Add model
                      </Button>
                    </Stack>
                  ) : (
                    <Grid>
                      <Grid.Col span={6}>
                        <MultiSelect
                          label="Must support"
                          data={capabilityOptions}
                          {...form.getInputProps('supports')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6}>
                        <NumberInput
                          label="Min context (tokens)"
                          min={1}
                          {...form.getInputProps('minContext')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6}>
                        <NumberInput
                          label="Max prompt price ($ / 1M tokens)"
                          min={0}
                          decimalScale={4}
                          {...form.getInputProps('maxPromptUsdPerMtok')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6}>
                        <NumberInput
                          label="Max completion price ($ / 1M tokens)"
                          min={0}
                          decimalScale={4}
                          {...form.getInputProps('maxCompletionUsdPerMtok')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6}>
                        <TagsInput
                          label="Include (id globs)"
                          placeholder="openai/*"
                          {...form.getInputProps('include')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6}>
                        <TagsInput
                          label="Exclude (id globs)"
                          placeholder="*:free"
                          {...form.getInputProps('exclude')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6}>
                        <MultiSelect
                          label="Providers"
                          placeholder="any"
                          data={providerIds}
                          {...form.getInputProps('filterProviders')}
                        />
                      </Grid.Col>
                      <Grid.Col span={6} pt="xl">
                        <Switch
                          label="Text output only"
                          {...form.getInputProps('textOnly', { type: 'checkbox' })}
                        />
                      </Grid.Col>
                    </Grid>
                  )}
                </Stack>
              </Card>
              <Card withBorder>
                <Stack gap="sm">
                  <Select
                    label="Strategy"
                    data={strategies.map((entry) => ({ ...entry }))}
                    allowDeselect={false}
                    {...form.getInputProps('strategy')}
                  />
                  {values.strategy === 'balanced' && (
                    <div>
                      <Text size="sm" fw={500} id="cost-weight-label">
                        Cost ↔ performance: {costWeightLabel(values.costWeight)}
                      </Text>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="xs" c="dimmed">
                          Performance
                        </Text>
                        <Slider
                          style={{ flex: 1 }}
                          thumbLabel="Cost weight"
                          min={0}
                          max={1}
                          step={0.05}
                          label={(value) => value.toFixed(2)}
                          {...form.getInputProps('costWeight')}
                        />
                        <Text size="xs" c="dimmed">
                          Cost
                        </Text>
                      </Group>
                    </div>
                  )}
                  <Grid>
                    <Grid.Col span={4}>
                      <NumberInput
                        label="Fallbacks"
                        description="Targets tried after the first"
                        min={0}
                        max={20}
                        placeholder="default"
                        {...form.getInputProps('fallbacks')}
                      />
                    </Grid.Col>
                    <Grid.Col span={4}>
                      <NumberInput
                        label="TTFT deadline (ms)"
                        description="Streams: next target after"
                        min={1}
                        max={600000}
                        placeholder="default"
                        {...form.getInputProps('ttftTimeoutMs')}
                      />
                    </Grid.Col>
                    <Grid.Col span={4}>
                      <NumberInput
                        label="Cost cap (USD)"
                        description="Worst case per request"
                        min={0}
                        decimalScale={6}
                        placeholder="none"
                        {...form.getInputProps('maxCostUsd')}
                      />
                    </Grid.Col>
                  </Grid>
                  <JsonInput
                    label="Advanced (JSON)"
                    description='quality scores, weights, and "variants" to run an experiment'
                    autosize
                    minRows={2}
                    maxRows={14}
                    formatOnBlur
                    {...form.getInputProps('advanced')}
                  />
                </Stack>
              </Card>
              {save.isError && (
                <Alert color="red" title="Not saved">
                  {save.error.message}
                </Alert>
              )}
              {editable && (
                <Group>
                  <Button type="submit" loading={save.isPending}>
                    {isNew ? 'Create policy' : 'Save as new version'}
                  </Button>
                  <Button variant="default" onClick={() => form.reset()}>
                    Reset
                  </Button>
                </Group>
              )}
            </Stack>
          </fieldset>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <TestPanel name={values.name} draft={draft} />
      </Grid.Col>
    </Grid>
  );
}
