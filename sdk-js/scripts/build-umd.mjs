// Generates dist/sitewire.umd.js from src/sitewire.js without a bundler: the module has no imports, so
// removing its `export` keywords and wrapping it in a function is enough. The result works as a classic
// <script> (window.Sitewire), as CommonJS (require) and as an AMD module.
//   node scripts/build-umd.mjs          write the file
//   node scripts/build-umd.mjs --check  exit 1 if the committed file is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const sourcePath = fileURLToPath(new URL('src/sitewire.js', root));
const targetPath = fileURLToPath(new URL('dist/sitewire.umd.js', root));

export function buildUmd(source) {
  if (/^\s*import\s/m.test(source)) throw new Error('src/sitewire.js must stay free of imports to be wrapped');
  const names = [];
  const body = source
    .replace(/^export default \w+;\n?/m, '')
    .replace(/^export (const|class|function|async function) (\w+)/gm, (_, kind, name) => {
      names.push(name);
      return `${kind} ${name}`;
    });
  if (/^export\s/m.test(body)) throw new Error('an export form the build does not handle is left in the source');
  return `/* Sitewire client SDK, classic-script/UMD build. GENERATED from src/sitewire.js by
 * scripts/build-umd.mjs: do not edit. <script src="sitewire.umd.js"></script> defines window.Sitewire. */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof define === 'function' && define.amd) define([], function () { return api; });
  else if (typeof module === 'object' && module.exports) module.exports = api;
  else root.Sitewire = api;
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function () {
  'use strict';

${body}
  return { ${names.join(', ')}, default: SitewireClient };
});
`;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const output = buildUmd(readFileSync(sourcePath, 'utf8'));
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(targetPath, 'utf8'); } catch { /* missing */ }
    if (current !== output) {
      console.error('dist/sitewire.umd.js is stale: run npm run build');
      process.exit(1);
    }
  } else {
    writeFileSync(targetPath, output);
    console.log(`wrote ${targetPath}`);
  }
}
