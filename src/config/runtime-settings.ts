/**
 * Run-time switches (`GET/PUT /admin/settings`): stored in the `settings` table as one JSON
 * document, announced on the change bus (`settings`), read by every instance. A field left out
 * of the stored document takes its default from the environment (SIGNALBOX_FALLBACK_REPLY) or
 * the schema.
 */
import { z } from 'zod';
import type { Config } from './config.ts';

/** The document as stored and as `PUT /admin/settings` takes it (every field optional). */
export const runtimeSettingsInput = z
  .object({
    routing_policies_enabled: z.boolean().optional().meta({
      description:
        'Whether operator-defined routing policies (`signalbox/<name>`) apply; off = only the built-in ones resolve.',
    }),
    fallback_reply: z.string().min(1).max(4_000).nullable().optional().meta({
      description:
        'The graceful reply when every candidate failed; null = off (an error); absent = SIGNALBOX_FALLBACK_REPLY.',
    }),
    queueing_enabled: z.boolean().optional().meta({
      description:
        'Whether requests over a concurrency limit wait in the queue (read by the limits feature).',
    }),
  })
  .strict();
export type RuntimeSettingsInput = z.output<typeof runtimeSettingsInput>;

/** The effective settings. */
export interface RuntimeSettings {
  routing_policies_enabled: boolean;
  fallback_reply: string | null;
  queueing_enabled: boolean;
}

/** The effective settings of a stored document (defaults for what it leaves out). */
export function effectiveSettings(
  stored: RuntimeSettingsInput,
  config: Pick<Config, 'fallbackReply'>,
): RuntimeSettings {
  return {
    routing_policies_enabled: stored.routing_policies_enabled ?? true,
    fallback_reply:
      stored.fallback_reply === undefined ? config.fallbackReply : stored.fallback_reply,
    queueing_enabled: stored.queueing_enabled ?? true,
  };
}
