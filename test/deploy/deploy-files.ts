/**
 * Readers of the deployment files for test/deploy: the Dockerfile as instructions, the
 * environment variable names src/config reads, and Kubernetes' schema of each rendered object.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

/** One Dockerfile instruction, continuation lines joined, with the stage it belongs to. */
export interface DockerInstruction {
  keyword: string;
  argument: string;
  /** 0-based index of its FROM stage (-1 before the first FROM, e.g. a global ARG). */
  stage: number;
}

export function readDockerfile(): DockerInstruction[] {
  const text = readFileSync(path.join(repositoryRoot, 'Dockerfile'), 'utf8');
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let stage = -1;
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stage += 1;
    return { keyword: keyword.toUpperCase(), argument: rest.join(' '), stage };
  });
}

/**
 * Every environment variable name src/config reads: the quoted upper-case names in its
 * sources (`text(env, 'PORT')`, `keyVariable: 'OPENAI_API_KEY'`) and `env.NAME` accesses.
 */
export function configVariableNames(): Set<string> {
  const directory = path.join(repositoryRoot, 'src', 'config');
  const names = new Set<string>();
  for (const file of readdirSync(directory)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const source = readFileSync(path.join(directory, file), 'utf8');
    for (const match of source.matchAll(/['"`]([A-Z][A-Z0-9_]{2,})['"`]|\benv\.([A-Z][A-Z0-9_]+)/g))
      names.add(match[1] ?? match[2] ?? '');
  }
  return names;
}

interface Validatable {
  validate(): void;
}

const models: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/**
 * Validates a manifest against Kubernetes' JSON schema for its apiVersion and kind
 * (kubernetes-models; the Prometheus Operator's CRD schema for a ServiceMonitor).
 * @throws Error listing the violations, or when no schema is known for the kind.
 */
export function validateManifest(manifest: { apiVersion: string; kind: string }): void {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}
