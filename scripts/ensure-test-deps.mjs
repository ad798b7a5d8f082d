// Run before `npm test`: installs what the tests need when it can, and otherwise stops with a message
// that names what is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const missing = [];

function sh(cmd) {
  console.log(`ensure-test-deps: ${cmd}`);
  execSync(cmd, { cwd: root, stdio: 'inherit' });
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 16)) {
  missing.push(`Node.js >= 20.16 (this is ${process.versions.node}; the engines use process.getBuiltinModule)`);
}

if (!existsSync(join(root, 'node_modules', '.bin', 'vitest')) || !existsSync(join(root, 'node_modules', '.bin', 'asc'))) {
  try {
    sh('npm ci');
  } catch {
    missing.push('the npm dependencies (npm ci failed; check access to the npm registry)');
  }
}

if (missing.length) {
  console.error('npm test cannot run; missing:\n' + missing.map((m) => `  - ${m}`).join('\n'));
  process.exit(1);
}
