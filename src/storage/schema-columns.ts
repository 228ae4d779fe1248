/**
 * Column helpers shared by the schema's files (schema.ts and the files it re-exports): one
 * definition of a timestamp with time zone and of a nano-USD amount.
 */
import { bigint, timestamp } from './drizzle.ts';

/** `timestamp with time zone`, read as a JS Date (ms precision). */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** Money: integer nano-USD (1 USD = 1e9), read as a bigint; NULL when unknown, never 0. */
export const nanoUsd = (name: string) => bigint(name, { mode: 'bigint' });
