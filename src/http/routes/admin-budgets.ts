/**
 * `GET /admin/budgets`: every budget at once — each project and (not revoked) key that has one,
 * with its limit, settled spend and open reservations in the current period — for the
 * dashboard's Overview ("spend against budgets"). Read-only: nothing is audited. Spend comes
 * from the same place as `GET /admin/keys/{id}` (the budget store, else the ledger).
 */
import { z } from 'zod';
import type { BudgetSpec } from '../../contracts/principal.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import { budgetUsageView } from '../admin/budget-usage-view.ts';
import { usdOf } from '../admin/key-schemas.ts';
import type { KeysAdminDependencies } from './admin-keys.ts';

export const budgetStatusSchema = z
  .object({
    scope: z.enum(['project', 'key']).describe('Whose budget: a project’s or a key’s.'),
    id: z.string().describe('The project’s or key’s id.'),
    name: z.string(),
    limit_usd: z.number().describe('The cap per period, USD.'),
    period: z.enum(['day', 'week', 'month', 'total']),
    spend_usd: z.number().describe('Settled spend in the current period, USD.'),
    reserved_usd: z.number().describe('Worst-case cost of requests in flight, USD.'),
    remaining_usd: z.number().describe('Budget left (never below 0), USD.'),
    period_start: z.string().nullable().describe('Start of the current period; null for `total`.'),
  })
  .meta({ id: 'BudgetStatus' });

/** Share of the limit spent or reserved (1 = exhausted). */
function used(status: z.output<typeof budgetStatusSchema>): number {
  return (status.spend_usd + status.reserved_usd) / status.limit_usd;
}

/** The budgets overview route. */
export function adminBudgetRoutes(dependencies: KeysAdminDependencies): AdminRoute[] {
  const { keys, projects } = dependencies;
  const now = dependencies.now ?? Date.now;
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/budgets',
      summary: 'Every project and key budget with its spend in the current period, fullest first',
      tags: ['keys'],
      minimumRole: 'viewer',
      responses: { 200: z.object({ data: z.array(budgetStatusSchema) }) },
      async handler() {
        const [projectList, keyList] = await Promise.all([projects.list(), keys.list({})]);
        const owners: { scope: 'project' | 'key'; id: string; name: string; budget: BudgetSpec }[] =
          [];
        for (const project of projectList)
          if (project.budget !== null)
            owners.push({
              scope: 'project',
              id: project.id,
              name: project.name,
              budget: project.budget,
            });
        for (const key of keyList)
          if (key.budget !== null)
            owners.push({ scope: 'key', id: key.id, name: key.name, budget: key.budget });
        const at = now();
        const data = await Promise.all(
          owners.map(async (owner) => {
            const usage = await budgetUsageView(
              dependencies,
              { kind: owner.scope, id: owner.id },
              owner.budget,
              at,
            );
            return {
              scope: owner.scope,
              id: owner.id,
              name: owner.name,
              limit_usd: usdOf(owner.budget.limitNanoUsd),
              period: owner.budget.period,
              spend_usd: usage.spend_usd,
              reserved_usd: usage.reserved_usd,
              remaining_usd: usage.remaining_usd ?? 0,
              period_start: usage.period_start,
            };
          }),
        );
        data.sort((left, right) => used(right) - used(left) || left.name.localeCompare(right.name));
        return { data };
      },
    }),
  ];
}
