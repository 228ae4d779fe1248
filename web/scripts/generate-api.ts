// Rewrites web/src/api/schema.d.ts from the live admin API (see api-types.ts).
import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, fetchLiveOpenApi, generateApiTypes } from './api-types.ts';

await writeFile(API_TYPES_FILE, await generateApiTypes(await fetchLiveOpenApi()));
process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
