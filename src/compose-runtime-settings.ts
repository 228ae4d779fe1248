/**
 * The run-time switches (src/config/runtime-settings.ts) of this instance: read from the
 * `settings` table at start, on every `settings` notice of the change bus and on the reconcile
 * timer; applied where a seam exists (the fallback reply in the gateway's ResiliencePolicy,
 * operator routing policies on/off); `queueing_enabled` is stored for the limits feature.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import {
  effectiveSettings,
  runtimeSettingsInput,
  type RuntimeSettings,
  type RuntimeSettingsInput,
} from './config/runtime-settings.ts';
import type { GatewayServices } from './gateway/index.ts';
import type { SettingsAdmin } from './http/routes/admin-settings.ts';
import type { ChangeBus } from './lib/change-bus.ts';
import { builtinPolicy } from './routing/builtin-policies.ts';
import type { SettingsRepository } from './storage/index.ts';

const SETTING_KEY = 'runtime_settings';
const TOPIC = 'settings';

export interface RuntimeSettingsWiring {
  readonly admin: SettingsAdmin;
  /** The effective settings now (features without a seam yet read them here). */
  current(): RuntimeSettings;
  reload(): Promise<void>;
  close(): void;
}

export async function composeRuntimeSettings(options: {
  config: Config;
  repository: SettingsRepository;
  gateway: GatewayServices;
  bus: ChangeBus;
  logger: Logger;
}): Promise<RuntimeSettingsWiring> {
  const { config, repository, gateway, bus, logger } = options;
  let stored: RuntimeSettingsInput = {};
  let effective = effectiveSettings(stored, config);
  const policyLookup = gateway.routing.policy;
  gateway.routing.policy = (name) =>
    effective.routing_policies_enabled ? policyLookup?.(name) : builtinPolicy(name);

  function apply(next: RuntimeSettingsInput): void {
    stored = next;
    effective = effectiveSettings(next, config);
    gateway.resilience.fallbackReply = effective.fallback_reply;
  }

  async function reload(): Promise<void> {
    const raw = await repository.get(SETTING_KEY);
    if (raw === null) {
      apply({});
      return;
    }
    const parsed = runtimeSettingsInput.safeParse(JSON.parse(raw));
    if (parsed.success) apply(parsed.data);
    else logger.error('the stored run-time settings are invalid; keeping the previous ones');
  }

  const refresh = (): void => {
    reload().catch((error: unknown) => {
      logger.warn({ err: error }, 'run-time settings could not be reloaded');
    });
  };
  await reload();
  const unsubscribe = bus.subscribe(TOPIC, refresh);
  const timer = setInterval(refresh, config.reconcileIntervalMs);
  timer.unref();

  return {
    admin: {
      get: () => Promise.resolve({ effective, stored }),
      async put(input, transaction) {
        const before = { ...effective };
        await transaction(
          async (executor) => {
            await repository.set(SETTING_KEY, JSON.stringify(input), executor);
          },
          () => ({ targetId: 'runtime', before, after: effectiveSettings(input, config) }),
        );
        apply(input);
        await bus.publish({ topic: TOPIC, id: null });
        return { effective, stored };
      },
    },
    current: () => effective,
    reload,
    close() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
