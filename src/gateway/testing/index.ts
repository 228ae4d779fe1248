/** Test support for the pipeline's unit tests (src/gateway/*.test.ts); nothing in the product imports it. */
export * from './fake-adapter.ts';
export * from './recording-writer.ts';
export * from './test-services.ts';
