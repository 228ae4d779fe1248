/**
 * The deployment files, validated without a container runtime or a cluster (neither exists on
 * the machines this project runs on): the Helm chart rendered by Go's template engine and every
 * object checked against Kubernetes' schemas, the compose file parsed and cross-checked with the
 * HAProxy configuration, the Dockerfile's essentials, and every environment variable the
 * manifests set against the names src/config reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  configVariableNames,
  readDockerfile,
  repositoryRoot,
  validateManifest,
} from './deploy-files.ts';
import { renderChart, type RenderedObject, type Values } from './render-chart.ts';

/**
 * Variables the deployment files set that other branches are adding to src/config right now.
 * Once src/config reads one, the last test below fails: delete it from this list then.
 */
const expectedSoon: string[] = [];
/** Read by Node and its libraries, not by src/config. */
const runtimeVariables = ['NODE_ENV'];

/** Every optional part of the chart switched on. */
const everythingOn: Values = {
  autoscaling: { enabled: true },
  metrics: { serviceMonitor: { enabled: true, labels: { release: 'prometheus' } } },
  config:
    'providers:\n  - id: local-vllm\n    type: openai-compatible\n    baseUrl: http://vllm:8000/v1\n    apiKey: env:VLLM_API_KEY\n',
  secretEnv: { VLLM_API_KEY: { name: 'vllm', key: 'api-key' } },
  env: { SIGNALBOX_ALLOWED_PRIVATE_HOSTS: 'vllm', SIGNALBOX_MAX_RETRIES: 3 },
  podAnnotations: { 'example.com/team': 'platform' },
  nodeSelector: { 'kubernetes.io/arch': 'amd64' },
  tolerations: [{ key: 'dedicated', value: 'gateway', effect: 'NoSchedule' }],
  imagePullSecrets: ['registry'],
};

function only(objects: RenderedObject[], kind: string): RenderedObject['manifest'] {
  const found = objects.filter((object) => object.manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  const [object] = found;
  if (object === undefined) throw new Error(`no ${kind}`);
  return object.manifest;
}

interface Container {
  env: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string } };
  }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  lifecycle: { preStop: { exec: { command: string[] } } };
  volumeMounts: { name: string; mountPath: string }[];
}

function podOf(deployment: RenderedObject['manifest']) {
  const spec = deployment.spec as {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: Container[]; terminationGracePeriodSeconds: number };
    };
  };
  const [container] = spec.template.spec.containers;
  if (container === undefined) throw new Error('no container');
  return { spec, container };
}

describe('the Helm chart', () => {
  it('renders with the default values into a Deployment, a Service and a PodDisruptionBudget valid for Kubernetes', async () => {
    const objects = await renderChart();
    expect(objects.map((object) => object.manifest.kind).sort()).toEqual([
      'Deployment',
      'PodDisruptionBudget',
      'Service',
    ]);
    for (const object of objects) validateManifest(object.manifest);

    const { spec, container } = podOf(only(objects, 'Deployment'));
    expect(spec.replicas).toBe(2);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(10);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8787, protocol: 'TCP' }]);
    // Secrets come only as references, never as values.
    const secrets = Object.fromEntries(
      container.env.flatMap((entry) =>
        entry.valueFrom ? [[entry.name, entry.valueFrom.secretKeyRef.name]] : [],
      ),
    );
    expect(Object.keys(secrets).sort()).toEqual([
      'OPENROUTER_API_KEY',
      'SIGNALBOX_DATABASE_URL',
      'SIGNALBOX_ENCRYPTION_KEY',
      'SIGNALBOX_MASTER_KEY',
      'SIGNALBOX_REDIS_URL',
    ]);

    const service = only(objects, 'Service').spec as {
      selector: Record<string, string>;
      ports: { targetPort: string }[];
    };
    expect(spec.template.metadata.labels).toMatchObject(service.selector);
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    expect(service.ports[0]?.targetPort).toBe('http');
  });

  it('renders every optional object when switched on, each valid for Kubernetes', async () => {
    const objects = await renderChart(everythingOn, { name: 'gateway', namespace: 'ai' });
    expect(objects.map((object) => object.manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Service',
      'ServiceMonitor',
    ]);
    for (const object of objects) validateManifest(object.manifest);

    const deployment = only(objects, 'Deployment');
    const { spec, container } = podOf(deployment);
    expect(spec.replicas).toBeUndefined(); // the autoscaler owns it
    const hpa = only(objects, 'HorizontalPodAutoscaler').spec as {
      scaleTargetRef: { kind: string; name: string };
    };
    expect(hpa.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata.name,
    });

    const configMap = only(objects, 'ConfigMap') as unknown as { data: Record<string, string> };
    const configFile = configMap.data['signalbox.config.yaml'] ?? '';
    expect(parseYaml(configFile)).toEqual(parseYaml(everythingOn.config as string));
    const configPath =
      container.env.find((entry) => entry.name === 'SIGNALBOX_CONFIG')?.value ?? '';
    const mount = container.volumeMounts.find((entry) => entry.name === 'config');
    expect(path.posix.dirname(configPath)).toBe(mount?.mountPath);

    const monitor = only(objects, 'ServiceMonitor').spec as {
      endpoints: { port: string; path: string }[];
    };
    expect(monitor.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics' }),
    ]);
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parseYaml(
    readFileSync(path.join(repositoryRoot, 'deploy', 'compose.yaml'), 'utf8'),
    {
      merge: true,
    },
  ) as { services: Record<string, Record<string, unknown>> };
  const gateways = Object.entries(compose.services).filter(
    ([, service]) => service.build !== undefined,
  );

  it('runs two gateway replicas built from the Dockerfile, on PostgreSQL and Redis, behind HAProxy checking readiness', () => {
    expect(gateways.map(([name]) => name)).toEqual(['gateway-1', 'gateway-2']);
    for (const [, gateway] of gateways) {
      const build = gateway.build as { context: string; dockerfile: string };
      expect(existsSync(path.join(repositoryRoot, 'deploy', build.context, build.dockerfile))).toBe(
        true,
      );
      const environment = gateway.environment as Record<string, string>;
      expect(environment.SIGNALBOX_DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(environment.SIGNALBOX_REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
      expect(Object.keys(gateway.depends_on as object).sort()).toEqual(['postgres', 'redis']);
    }
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'balancer']),
    );

    const haproxy = readFileSync(path.join(repositoryRoot, 'deploy', 'haproxy.cfg'), 'utf8');
    expect(haproxy).toMatch(/^\s*balance roundrobin$/m);
    expect(haproxy).toMatch(/^\s*option httpchk GET \/health\/ready$/m);
    const servers = [...haproxy.matchAll(/^\s*server (\S+) (\S+):8787\b/gm)].map(
      (match) => match[2],
    );
    expect(servers).toEqual(gateways.map(([name]) => name));
    const balancer = compose.services.balancer as { volumes: string[] };
    expect(balancer.volumes).toContain('./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  });
});

describe('the Dockerfile', () => {
  const instructions = readDockerfile();
  const lastStage = Math.max(...instructions.map((instruction) => instruction.stage));
  const final = instructions.filter((instruction) => instruction.stage === lastStage);
  const argument = (keyword: string) =>
    final
      .filter((instruction) => instruction.keyword === keyword)
      .map((instruction) => instruction.argument);

  it('builds in one stage and runs Node 24 slim, non-root, production dependencies only, with a health check and tini', () => {
    expect(lastStage).toBeGreaterThanOrEqual(1);
    const baseImage = instructions.find((instruction) => instruction.keyword === 'ARG')?.argument;
    expect(baseImage).toMatch(/^NODE_IMAGE=node:24-[a-z]+-slim$/);
    expect(argument('FROM')).toEqual(['${NODE_IMAGE} AS runtime']);

    const user = argument('USER').at(-1) ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(argument('HEALTHCHECK').join(' ')).toContain('/health/live');
    const installs = argument('RUN').filter((run) => run.includes('npm ci'));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/npm ci --omit=dev/);
    // Only the compiled package reaches the runtime stage, never src/ or the dev toolchain.
    const copies = argument('COPY');
    expect(copies.filter((copy) => /(^|\s)(src|node_modules)\b/.test(copy))).toEqual([]);
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(argument('ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]']);
    expect(argument('CMD')).toEqual([
      '["node", "--max-semi-space-size=16", "bin/signalbox.js", "serve"]',
    ]);
  });

  it('has a .dockerignore that lets in exactly what the build copies', () => {
    const lines = readFileSync(path.join(repositoryRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines[0]).toBe('*');
    const allowed = lines
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const sources = instructions
      .filter(
        (instruction) =>
          instruction.keyword === 'COPY' && !instruction.argument.startsWith('--from'),
      )
      .flatMap((instruction) => instruction.argument.split(/\s+/).slice(0, -1));
    for (const source of sources) expect(allowed, source).toContain(source.replace(/^\.\//, ''));
  });
});

describe('environment variables in the deployment files', () => {
  it('are all read by src/config (or referenced by the configuration file, or by Node)', async () => {
    const objects = await renderChart(everythingOn);
    const { container } = podOf(only(objects, 'Deployment'));
    const configMap = only(objects, 'ConfigMap') as unknown as { data: Record<string, string> };
    const fileReferences = [
      ...(configMap.data['signalbox.config.yaml'] ?? '').matchAll(/env:([A-Z0-9_]+)/g),
    ].map((match) => match[1]);

    const compose = parseYaml(
      readFileSync(path.join(repositoryRoot, 'deploy', 'compose.yaml'), 'utf8'),
      {
        merge: true,
      },
    ) as { services: Record<string, { build?: unknown; environment?: Record<string, string> }> };
    const composeNames = Object.values(compose.services)
      .filter((service) => service.build !== undefined)
      .flatMap((service) => Object.keys(service.environment ?? {}));
    const dockerNames = readDockerfile()
      .filter((instruction) => instruction.keyword === 'ENV')
      .flatMap((instruction) =>
        [...instruction.argument.matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((match) => match[1]),
      );

    const known = configVariableNames();
    const set = new Set([
      ...container.env.map((entry) => entry.name),
      ...composeNames,
      ...dockerNames,
    ]);
    const unknown = [...set].filter(
      (name) =>
        name !== undefined &&
        !known.has(name) &&
        !fileReferences.includes(name) &&
        !runtimeVariables.includes(name) &&
        !expectedSoon.includes(name),
    );
    expect(unknown).toEqual([]);
    // A name src/config has started to read no longer belongs in the list above.
    expect(expectedSoon.filter((name) => known.has(name))).toEqual([]);
  });
});
