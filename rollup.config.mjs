// Builds the headless API (dist/index.js) and the CLI (dist/cli.js) from widget/.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const external = (id) => id.startsWith('node:') || id.startsWith('@tensorflow/') || id === 'webgpu';

export default [
  {
    input: { index: 'widget/index.ts', cli: 'widget/cli/main.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    external,
    plugins: [nodeResolve(), typescript({ tsconfig: './tsconfig.json', declaration: true, declarationDir: 'dist/types' })],
  },
];
