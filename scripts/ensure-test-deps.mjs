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

// `--system-only` (CI, before its own `npm ci`) checks the system packages alone.
const systemOnly = process.argv.includes('--system-only');
// A few of the tools npm test runs; any missing (a fresh clone, or node_modules from before they were added) means npm ci.
const tools = ['vitest', 'asc', 'rollup', 'publint', 'attw'].map((bin) => join(root, 'node_modules', '.bin', bin));
if (!systemOnly && (!tools.every((bin) => existsSync(bin)) || !existsSync(join(root, 'node_modules', 'rollup-plugin-dts')))) {
  try {
    sh('npm ci');
  } catch {
    missing.push('the npm dependencies (npm ci failed; check access to the npm registry)');
  }
}

// Debian packages the tests use, each with the check that tells whether it is there. chromium: the browser
// tests drive it, and the WebGPU tests run on Dawn with the SwiftShader Vulkan driver it ships
// (vitest.config.ts points the Vulkan loader at it). QuantLib and SciPy are the independent references the
// American-option and model-free-bounds tests compare against.
const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const python = '/usr/bin/python3';
function pythonHas(module) {
  try {
    execSync(`${python} -c "import ${module}"`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const debianPackages = [
  { name: 'chromium', present: () => existsSync(swiftshaderIcd), why: `its SwiftShader Vulkan driver ${swiftshaderIcd} (WebGPU tests) and the browser tests` },
  { name: 'quantlib-python', present: () => pythonHas('QuantLib'), why: 'QuantLib, the American-option tests\' reference' },
  { name: 'python3-scipy', present: () => pythonHas('scipy'), why: 'SciPy\'s linprog, the model-free-bounds tests\' reference' },
];
if (process.platform === 'linux') {
  const absent = debianPackages.filter((p) => !p.present());
  const isRoot = process.getuid?.() === 0;
  let apt = false;
  try {
    execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
    apt = true;
  } catch {}
  if (absent.length && isRoot && apt) {
    try {
      sh('apt-get update -q');
      sh(`DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${absent.map((p) => p.name).join(' ')}`);
    } catch {
      // reported below
    }
  }
  for (const p of absent.filter((p) => !p.present())) {
    missing.push(`Debian's ${p.name} package, for ${p.why}: ` + (isRoot && apt ? `apt-get install ${p.name} failed` : `run \`apt-get install ${p.name}\` as root`));
  }
}

if (missing.length) {
  console.error('npm test cannot run; missing:\n' + missing.map((m) => `  - ${m}`).join('\n'));
  process.exit(1);
}
