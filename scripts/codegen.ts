/** `npm run codegen -- <*_ipc.yaml…> --out <dir> [--types types.json]`: see src/node/codegenCli.ts. */
import { nodeCodegenIo, runCodegen } from '../src/node/codegenCli';

process.exitCode = runCodegen(process.argv.slice(2), nodeCodegenIo);
