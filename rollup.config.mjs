// Builds the headless API (dist/index.js) and the CLI (dist/cli.js) from widget/.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const external = (id) => id.startsWith('node:') || id.startsWith('@tensorflow/') || id === 'webgpu';

/** `import text from './file.wgsl?raw'` gives the file's text, as Vite does in tests. */
export const rawText = () => ({
  name: 'raw-text',
  resolveId(id, importer) {
    if (id.endsWith('?raw') && importer) return resolve(dirname(importer), id.slice(0, -4)) + '?raw';
    return null;
  },
  load(id) {
    if (!id.endsWith('?raw')) return null;
    return `export default ${JSON.stringify(readFileSync(id.slice(0, -4), 'utf8'))};`;
  },
});

export default [
  {
    input: { index: 'widget/index.ts', cli: 'widget/cli/main.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    external,
    plugins: [rawText(), nodeResolve(), typescript({ tsconfig: './tsconfig.json', declaration: true, declarationDir: 'dist/types' })],
  },
];
