/**
 * drizzle-orm (and PGlite), loaded through their CommonJS builds; the rest of the code imports
 * drizzle's values from here and only types from 'drizzle-orm' itself.
 *
 * Why: Node 24's ESM loader parses the nearest package.json again for every module it loads,
 * and drizzle-orm's is 179 KB. Importing drizzle's ESM build allocated 75–130 MB of garbage
 * (RSS + 75 MB that stayed: V8 keeps the grown heap) and slowed start-up; its CommonJS build
 * costs 5 MB. One module loads it, so an ESM and a CJS copy are never mixed (their classes would
 * differ). Measured with `npm run bench:memory`; docs/decisions/0021-drizzle-commonjs.md.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const core = require('drizzle-orm') as typeof import('drizzle-orm');
const pgCore = require('drizzle-orm/pg-core') as typeof import('drizzle-orm/pg-core');

export const {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNotNull,
  isNull,
  like,
  lt,
  lte,
  ne,
  or,
  sql,
} = core;

export const {
  bigint,
  bigserial,
  doublePrecision,
  boolean,
  index,
  integer,
  json,
  jsonb,
  pgSchema,
  pgTable,
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the object form is the one used; destructuring names both overloads
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} = pgCore;

/** PGlite with drizzle's PGlite driver and migrator (loaded when PGlite is used). */
export function loadPgliteDriver() {
  const pglite = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  return {
    pglite,
    PGlite: pglite.PGlite,
    drizzle: (require('drizzle-orm/pglite') as typeof import('drizzle-orm/pglite')).drizzle,
    migrate: (
      require('drizzle-orm/pglite/migrator') as typeof import('drizzle-orm/pglite/migrator')
    ).migrate,
  };
}

/** drizzle's node-postgres driver and migrator (loaded when PostgreSQL is used). */
export function loadPostgresDriver() {
  return {
    drizzle: (require('drizzle-orm/node-postgres') as typeof import('drizzle-orm/node-postgres'))
      .drizzle,
    migrate: (
      require('drizzle-orm/node-postgres/migrator') as typeof import('drizzle-orm/node-postgres/migrator')
    ).migrate,
  };
}
