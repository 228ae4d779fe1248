/**
 * OpenRouter emulator: serves OpenRouter's API (`${origin}/api/v1`) offline for demo mode, tests
 * and benchmarks. Replays the real recorded interactions in `recordings/`, synthesizes
 * deterministic answers otherwise, and injects faults on request. See emulator-types.ts.
 */
export { createEmulator } from './create-emulator.ts';
export { loadRecordedInteractions, type RecordedInteraction } from './recorded-interactions.ts';
export type { Emulator, EmulatorLedgerEntry, EmulatorOptions, Fault } from './emulator-types.ts';
