// Type-checks every layer with its own compiler settings (DESIGN.md §2): core without DOM or
// Node, runtime with worker globals, app with the DOM, tooling and tests with Node.
import { spawnSync } from 'node:child_process';

const projects = ['tsconfig.core.json', 'tsconfig.runtime.json', 'tsconfig.app.json', 'tsconfig.node.json'];
let failed = 0;
for (const project of projects) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], {
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    console.log(`typecheck ${project}: ok (${seconds} s)`);
  } else {
    console.error(`typecheck ${project}: FAILED`);
    failed += 1;
  }
}
process.exit(failed === 0 ? 0 : 1);
