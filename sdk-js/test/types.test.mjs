import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('index.d.ts accepts real usage and rejects misuse (tsc on test/types/usage.ts)', async () => {
  const result = await new Promise((resolve) => {
    execFile(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/types/tsconfig.json'], { cwd: root },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, output: stdout + stderr }));
  });
  assert.equal(result.code, 0, result.output);
});
