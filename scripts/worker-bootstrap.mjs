// Lets a Node worker thread run a TypeScript module: registers tsx, then imports the module
// given as the first worker argument (see src/node/nodeWorkers.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
