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

// The WebGPU tests run on Dawn with the SwiftShader Vulkan driver that Debian's chromium package ships
// (vitest.config.ts points the Vulkan loader at it); the browser tests use the same chromium.
const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.platform === 'linux' && !existsSync(swiftshaderIcd)) {
  const root = process.getuid?.() === 0;
  let apt = false;
  try {
    execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
    apt = true;
  } catch {}
  if (root && apt) {
    try {
      sh('apt-get update -q');
      sh('DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium');
    } catch {
      // reported below
    }
  }
  if (!existsSync(swiftshaderIcd)) {
    missing.push(
      `Debian's chromium package, for its SwiftShader Vulkan driver ${swiftshaderIcd} (WebGPU tests) and the browser tests: ` +
        (root && apt ? 'apt-get install chromium failed' : 'run `apt-get install chromium` as root'),
    );
  }
}

if (missing.length) {
  console.error('npm test cannot run; missing:\n' + missing.map((m) => `  - ${m}`).join('\n'));
  process.exit(1);
}
