/** The catalogue page's table: one row per model, with a selection checkbox. */
import { Anchor, Badge, Checkbox, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client';
import { formatPerMillion, formatTokens } from '../../format';
import { modelCapabilities } from './capabilities';
import { modelPath } from './model-path';

export function ModelsTable({
  rows,
  selected,
  onToggle,
}: {
  rows: Schemas['CatalogModel'][];
  selected: string[];
  onToggle: (id: string) => void;
}) {
  const toggle = onToggle;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Models">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <VisuallyHidden>Select</VisuallyHidden>
            </Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th ta="right">Context</Table.Th>
            <Table.Th ta="right">Prompt $/1M</Table.Th>
            <Table.Th ta="right">Completion $/1M</Table.Th>
            <Table.Th>Capabilities</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((model) => (
            <Table.Tr key={model.id}>
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${model.id}`}
                  checked={selected.includes(model.id)}
                  onChange={() => toggle(model.id)}
                />
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={modelPath(model.id)} size="sm" fw={500}>
                  {model.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {model.id}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatTokens(model.context_length)}</Table.Td>
              <Table.Td ta="right">{formatPerMillion(model.pricing.prompt)}</Table.Td>
              <Table.Td ta="right">{formatPerMillion(model.pricing.completion)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {modelCapabilities(model).map((capability) => (
                    <Badge key={capability} size="xs" variant="light" tt="none">
                      {capability.replace('_', ' ')}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {model.status === 'retired' && (
                    <Badge size="sm" color="gray">
                      retired
                    </Badge>
                  )}
                  <Badge size="sm" variant="light" color={model.enabled ? 'teal' : 'red'}>
                    {model.enabled ? 'enabled' : 'disabled'}
                  </Badge>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
