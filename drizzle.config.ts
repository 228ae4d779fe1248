// drizzle-kit configuration: `npm run db:generate` writes SQL migrations for the one
// schema shared by PGlite and PostgreSQL (src/storage/schema.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/schema.ts',
  out: './src/storage/migrations',
});
