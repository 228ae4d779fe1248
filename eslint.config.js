// ESLint flat config: strict type-checked rules plus the dependency direction of
// docs/architecture.md, enforced with no-restricted-imports per layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers from the bottom up; a layer may import only layers at its own level or below. */
const layers = [
  ['lib'],
  ['contracts'],
  ['config'],
  ['providers', 'catalog', 'pricing', 'routing', 'security'],
  ['storage'],
  ['limits', 'usage', 'alerts'],
  ['gateway'],
  ['http'],
  ['app'],
  ['cli'],
];
const providerFolders = ['openrouter', 'openai', 'anthropic', 'gemini'];

function above(index) {
  return layers.slice(index + 1).flat();
}

function restriction(folders, message) {
  return { regex: `(^|/)(${folders.join('|')})(/|\\.ts$)`, message };
}

const layerConfigs = layers.flatMap((names, index) => {
  const forbidden = above(index);
  if (forbidden.length === 0) return [];
  return names.map((name) => ({
    files: [`src/${name}/**/*.ts`, `src/${name}.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restriction(
              forbidden,
              `src/${name} sits below these layers and may not import them (docs/architecture.md).`,
            ),
            ...(['gateway', 'http'].includes(name)
              ? [
                  restriction(
                    providerFolders.map((p) => `providers/${p}`),
                    'Import providers/index.ts, never a provider folder.',
                  ),
                ]
              : []),
          ],
        },
      ],
    },
  }));
});

const providerConfigs = providerFolders.map((provider) => ({
  files: [`src/providers/${provider}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          restriction(
            above(3),
            'Providers sit below storage and the pipeline (docs/architecture.md).',
          ),
          {
            regex: `\\.\\./(${providerFolders.filter((p) => p !== provider).join('|')})/`,
            message:
              'A provider folder never imports another provider folder; share through providers/shared/.',
          },
        ],
      },
    ],
  },
}));

// The emulator stands in for OpenRouter; it may use the pure lower layers only.
const emulatorConfig = {
  files: ['src/emulator/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          restriction(
            [
              'config',
              'providers',
              'routing',
              'security',
              'storage',
              'limits',
              'usage',
              'gateway',
              'http',
              'app',
              'cli',
            ],
            'The emulator may import lib, contracts, pricing and catalog only.',
          ),
        ],
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web',
      'coverage',
      '.signalbox',
      'drizzle',
      'bench/results',
      '**/*.js',
      // A consumer project's file: the package test type-checks it against the packed package
      // with its own tsconfig (test/package/consumer/tsconfig.json).
      'test/package/consumer',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Only src/config reads process.env (docs/conventions.md).',
        },
      ],
    },
  },
  {
    files: [
      'src/config/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      '**/*.test.ts',
      'vitest.config.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...layerConfigs,
  ...providerConfigs,
  emulatorConfig,
  {
    // drizzle-orm's values come from src/storage/drizzle.ts (its CommonJS build, a fraction of
    // the ESM build's memory); mixing both builds would also mix two copies of its classes.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['src/storage/drizzle.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        ...[
          'drizzle-orm',
          'drizzle-orm/pg-core',
          'drizzle-orm/pglite',
          'drizzle-orm/node-postgres',
          '@electric-sql/pglite',
        ].map((name) => ({
          name,
          allowTypeImports: true,
          message:
            'Import drizzle and PGlite values from src/storage/drizzle.ts (docs/decisions/0021-drizzle-commonjs.md).',
        })),
      ],
    },
  },
);
