#!/usr/bin/env node
// The `signalbox` command. Node 24 runs the TypeScript sources directly (type stripping);
// see docs/decisions/0001-run-typescript-sources.md.
import '../src/cli/main.ts';
