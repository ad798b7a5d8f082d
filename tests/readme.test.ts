// The README's headless example, run as a user would: a module that imports the built package by name.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

test('the README headless API example runs and prints its numbers', async () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Headless API'));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1];
  expect(code).toMatch(/from 'cher-hedger'/);
  mkdirSync(`${root}tests/artifacts`, { recursive: true });
  const file = `${root}tests/artifacts/readme-example.mjs`;
  writeFileSync(file, code);
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { cwd: root, timeout: 120_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(stderr || String(e))) : resolve(stdout),
    ),
  );
  const lines = out.trim().split('\n');
  expect(lines.at(-1)).toMatch(/^\d+(\.\d+)?(e[+-]?\d+)? \d+\.\d+(e-\d+)? 2\.287\d+$/); // prices in currency: spot 100
  expect(lines.length).toBeGreaterThan(1);
});

test('the README environment example runs', async () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Step-by-step environment'));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1] + "\nconsole.log(batch.reward.length, env.done, buffer.size);\n";
  const file = `${root}tests/artifacts/readme-env-example.mjs`;
  mkdirSync(`${root}tests/artifacts`, { recursive: true });
  writeFileSync(file, code);
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { cwd: root, timeout: 120_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(stderr || String(e))) : resolve(stdout),
    ),
  );
  expect(out.trim()).toBe('256 true 30720');
});

test('the README example of the other models runs: American lattice and LSM, the value network, bounds', async () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('The other models, on the same runtime'));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1];
  const file = `${root}tests/artifacts/readme-models-example.mjs`;
  mkdirSync(`${root}tests/artifacts`, { recursive: true });
  writeFileSync(file, code);
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { cwd: root, timeout: 240_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(stderr || String(e))) : resolve(stdout),
    ),
  );
  const [lattice, ordered, lower, boundLow, boundUp] = out.trim().split(/\s+/);
  expect(lattice).toBe('4.4867'); // the contract's reference American put (CRR, 10,000 steps)
  expect(ordered).toBe('true');
  expect(Number(lower)).toBeGreaterThan(4.3); // the network's stopping rule: a lower bound near the lattice value
  expect(Number(lower)).toBeLessThan(4.5);
  expect(Math.abs(Number(boundLow) - 2.552)).toBeLessThan(5e-3); // docs/numerics.md: [2.5516, 6.9876]
  expect(Math.abs(Number(boundUp) - 6.988)).toBeLessThan(5e-3);
}, 300_000);
