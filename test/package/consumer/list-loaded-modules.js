// Imports the specifier given as argument and prints, as one JSON line, every module that import
// loaded (ESM and CommonJS alike, through Node's synchronous module hooks).
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
await import(process.argv[2]);
console.log(JSON.stringify(loaded));
