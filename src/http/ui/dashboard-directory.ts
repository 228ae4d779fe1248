/** Where the dashboard's build lives: `web/dist` at the repository root. */
import { fileURLToPath } from 'node:url';

export function defaultDashboardDirectory(): string {
  return fileURLToPath(new URL('../../../web/dist/', import.meta.url));
}
