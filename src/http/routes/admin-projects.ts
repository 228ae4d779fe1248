/**
 * The admin projects API: `POST/GET /admin/projects`, `GET/PATCH/DELETE /admin/projects/{id}`.
 * Projects group keys and carry limits and a budget of their own. Each change is written with
 * its audit row in one transaction, then announced on the ChangeBus (topic `projects`) so every
 * instance drops its cached principals at once. A project with keys that are not revoked cannot
 * be deleted (409 `conflict`): revoke them first.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import { randomAlphanumeric } from '../../lib/ids.ts';
import { PROJECTS_TOPIC } from '../../security/virtual-key-resolver.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import { budgetUsageView } from '../admin/budget-usage-view.ts';
import {
  idParams,
  projectBody,
  projectCreateBody,
  projectDetailSchema,
  projectPatchBody,
  projectSchema,
  projectSettingsOf,
} from '../admin/key-schemas.ts';
import { z } from 'zod';
import type { KeysAdminDependencies } from './admin-keys.ts';

const tags = ['projects'];
const audit = (action: string) => ({ action: `projects.${action}`, targetType: 'project' });

export function projectNotFound(id: string, param: string | null = null): SignalboxError {
  return new SignalboxError('project_not_found', `No project has the id "${id}".`, { param });
}

/** The admin projects API, as route definitions. */
export function adminProjectRoutes(dependencies: KeysAdminDependencies): AdminRoute[] {
  const { projects, keys, changes } = dependencies;
  const now = dependencies.now ?? Date.now;
  const announce = (id: string) => changes.publish({ topic: PROJECTS_TOPIC, id });
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/projects',
      summary: 'Create a project (a group of keys with its own limits and budget)',
      tags,
      minimumRole: 'admin',
      audit: audit('create'),
      request: { body: projectCreateBody },
      responses: { 201: projectSchema },
      async handler({ body, audit: scope, reply }) {
        const id = `proj_${randomAlphanumeric(16)}`;
        const settings = {
          name: body.name,
          rpm: null,
          tpm: null,
          budget: null,
          ...projectSettingsOf(body),
        };
        const created = await scope.transaction(
          (executor) => projects.create(id, settings, new Date(now()), executor),
          (project) => ({ targetId: project.id, after: projectBody(project) }),
        );
        return reply.code(201).send(projectBody(created));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/projects',
      summary: 'Every project (deleted ones left out)',
      tags,
      minimumRole: 'viewer',
      responses: { 200: z.object({ data: z.array(projectSchema) }) },
      async handler() {
        return { data: (await projects.list()).map(projectBody) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/projects/:id',
      summary: 'One project, with its spend in the budget period and its active keys',
      tags,
      minimumRole: 'viewer',
      request: { params: idParams },
      responses: { 200: projectDetailSchema },
      async handler({ params }) {
        const project = await projects.get(params.id);
        if (project === null) throw projectNotFound(params.id);
        const usage = await budgetUsageView(
          dependencies,
          { kind: 'project', id: project.id },
          project.budget,
          now(),
        );
        return {
          ...projectBody(project),
          ...usage,
          active_keys: await keys.countActive(project.id),
        };
      },
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: '/projects/:id',
      summary: 'Change a project’s name, limits or budget (null clears a limit)',
      tags,
      minimumRole: 'admin',
      audit: audit('update'),
      request: { params: idParams, body: projectPatchBody },
      responses: { 200: projectSchema },
      async handler({ params, body, audit: scope }) {
        const changed = await scope.transaction(
          async (executor) => {
            const result = await projects.update(
              params.id,
              projectSettingsOf(body),
              new Date(now()),
              executor,
            );
            if (result === null) throw projectNotFound(params.id);
            return result;
          },
          ({ before, after }) => ({ before: projectBody(before), after: projectBody(after) }),
        );
        await announce(params.id);
        return projectBody(changed.after);
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/projects/:id',
      summary: 'Delete a project (refused while it has keys that are not revoked)',
      tags,
      minimumRole: 'admin',
      audit: audit('delete'),
      request: { params: idParams },
      responses: { 200: projectSchema },
      async handler({ params, audit: scope }) {
        const removed = await scope.transaction(
          async (executor) => {
            const active = await keys.countActive(params.id, executor);
            if (active > 0)
              throw new SignalboxError(
                'conflict',
                `The project "${params.id}" still has ${active} key(s) that are not revoked; revoke them first.`,
              );
            const result = await projects.remove(params.id, new Date(now()), executor);
            if (result === null) throw projectNotFound(params.id);
            return result;
          },
          (project) => ({ before: projectBody(project), after: null }),
        );
        await announce(params.id);
        return projectBody(removed);
      },
    }),
  ];
}
