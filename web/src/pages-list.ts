/** The dashboard's ten pages (issue 11), in navigation order, with what each shows. */
export interface PageEntry {
  path: string;
  label: string;
  description: string;
}

export const pages: readonly PageEntry[] = [
  {
    path: 'overview',
    label: 'Overview',
    description:
      'Spend against budgets, requests, error rate, p95 latency and time to first token over time, top models, keys and providers, firing alerts and circuit states.',
  },
  {
    path: 'requests',
    label: 'Requests',
    description: 'The ledger: every request with its attempts, tokens, latency and exact cost.',
  },
  {
    path: 'models',
    label: 'Models',
    description: 'The catalogue: search, filter, compare, recommend, enable and sync.',
  },
  {
    path: 'routing',
    label: 'Routing',
    description:
      'Policies with a builder, a test panel running explain on sample requests, versions with diff and rollback, and experiments.',
  },
  {
    path: 'providers',
    label: 'Providers',
    description:
      'Providers with health and circuit state; add or edit them with write-only credentials and test connectivity.',
  },
  {
    path: 'keys',
    label: 'Keys & projects',
    description:
      'Create keys (secret shown once), set limits and budgets with spend bars, rotate and revoke.',
  },
  {
    path: 'alerts',
    label: 'Alerts',
    description: 'Alert rules and their firing and resolved events.',
  },
  {
    path: 'recommendations',
    label: 'Recommendations',
    description:
      'Cheaper models that satisfy what your traffic really uses, with projected savings; start an experiment from one.',
  },
  {
    path: 'audit',
    label: 'Audit log',
    description: 'Every admin change: who, what, before and after, when.',
  },
  {
    path: 'playground',
    label: 'Playground',
    description: 'Chat with any model through the gateway, streaming, with cost and latency.',
  },
];
