/** `npm run scenario -- <file.json | link> [options]`: see src/node/scenarioCli.ts. */
import { nodeIo, runScenarioCli } from '../src/node/scenarioCli';

process.exitCode = await runScenarioCli(process.argv.slice(2), nodeIo);
