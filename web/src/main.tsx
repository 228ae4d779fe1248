/**
 * The entry: small on purpose. It starts the first page's API calls and code (prefetch.ts) while
 * the React tree (app.tsx, the bulk of the JavaScript; preloaded by index.html) is still being
 * compiled, then runs it. Mantine's CSS is imported here so it loads with the HTML.
 */
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { prefetchForPath } from './prefetch';

prefetchForPath(window.location.pathname);
void import('./app');
