// Builds the headless API (dist/index.js), the CLI (dist/cli.js) and the elements (dist/cher-hedger.js:
// one self-contained ES module with every element, the training worker, WASM engines and shaders
// inlined), plus dist/custom-elements.json for the elements and one bundled declaration file per entry
// point (dist/index.d.ts, dist/element.d.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

// Every build starts from an empty dist/, so the package never ships chunks of an earlier build.
rmSync('dist', { recursive: true, force: true });

const external = (id) => id.startsWith('node:') || id.startsWith('@tensorflow/') || id === 'webgpu' || id === 'highs';

/**
 * WGSL without its comments and indentation: the shaders ship in the bundle as text, and their comments are
 * for readers of the repository. WGSL has no string literals, so a comment always runs to the end of its line
 * (or to its closing mark).
 */
export function minifyWgsl(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

/** `import text from './file.wgsl?raw'` gives the file's text (WGSL minified), as Vite does in tests. */
export const rawText = () => ({
  name: 'raw-text',
  resolveId(id, importer) {
    if (id.endsWith('?raw') && importer) return resolve(dirname(importer), id.slice(0, -4)) + '?raw';
    return null;
  },
  load(id) {
    if (!id.endsWith('?raw')) return null;
    const path = id.slice(0, -4);
    const text = readFileSync(path, 'utf8');
    return `export default ${JSON.stringify(path.endsWith('.wgsl') ? minifyWgsl(text) : text)};`;
  },
});

/** TypeScript to JavaScript, file by file (type checking is `npm run typecheck`); for the worker build. */
const transpileTs = () => ({
  name: 'transpile-ts',
  resolveId(id, importer) {
    // Sources import './x.js' for './x.ts'.
    if (importer && id.startsWith('.') && id.endsWith('.js')) {
      const candidate = resolve(dirname(importer), id.slice(0, -3) + '.ts');
      try {
        readFileSync(candidate);
        return candidate;
      } catch {
        return null;
      }
    }
    return null;
  },
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const out = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true,
        experimentalDecorators: true, useDefineForClassFields: false, verbatimModuleSyntax: false,
      },
    });
    return { code: out.outputText, map: out.sourceMapText };
  },
});

const minify = () => terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } });

/**
 * `import source from 'virtual:cher-hedger-worker'`: the training worker (widget/elements/worker/worker.ts and
 * everything it imports: trainer, engines, WASM binaries, shaders), bundled to one minified classic
 * script and handed over as a string, which the element starts from a Blob URL.
 */
const inlineWorker = () => ({
  name: 'inline-worker',
  resolveId(id) {
    return id === 'virtual:cher-hedger-worker' ? '\0virtual:cher-hedger-worker' : null;
  },
  async load(id) {
    if (id !== '\0virtual:cher-hedger-worker') return null;
    const bundle = await rollup({
      input: 'widget/elements/worker/worker.ts',
      external,
      plugins: [rawText(), transpileTs(), nodeResolve({ browser: true })],
      onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)),
    });
    for (const file of bundle.watchFiles) this.addWatchFile(file);
    const { output } = await bundle.generate({
      format: 'iife', inlineDynamicImports: true, plugins: [terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: false } })],
    });
    await bundle.close();
    return `export default ${JSON.stringify(output[0].code)};`;
  },
});

/**
 * Lit's base class extends HTMLElement when its module is evaluated; outside browsers (server-side
 * rendering, Node) that global is missing, so the bundle falls back to an empty class there and
 * defines nothing (widget/element.ts only defines the element when customElements exists).
 */
const ssrSafeBaseClass = () => ({
  name: 'ssr-safe-base-class',
  transform(code, id) {
    if (/@lit[\\/]reactive-element/.test(id) && code.includes('extends HTMLElement')) {
      return { code: code.replaceAll('extends HTMLElement', 'extends (globalThis.HTMLElement ?? class {})'), map: null };
    }
    // lit-html's own Node build does the same for its template walker.
    if (/lit-html[\\/]lit-html\.js$/.test(id) && code.includes('=document,')) {
      return { code: code.replace('=document,', '=void 0===globalThis.document?{createTreeWalker:()=>({})}:document,'), map: null };
    }
    return null;
  },
});

/** A TypeScript module and what it imports, bundled and loaded in this Node process (build-time data). */
async function importTs(input) {
  const bundle = await rollup({ input, plugins: [transpileTs()], onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)) });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
}

/** The element classes (one folder per element, named after its tag) and the base classes they extend. */
const ELEMENT_SOURCES = ['widget/elements/base/*-element.ts', 'widget/elements/cher-*/cher-*.ts', 'widget/element.ts'];

/**
 * dist/custom-elements.json from the elements' JSDoc (@attr, @fires, @csspart, @cssprop), with every
 * element's configuration attributes added from its schema (widget/elements/manifest.ts, over the
 * elements listed in widget/elements/registry.ts).
 */
const customElementsManifest = () => ({
  name: 'custom-elements-manifest',
  async writeBundle() {
    execFileSync(
      resolve('node_modules/.bin/cem'),
      ['analyze', '--litelement', '--globs', ...ELEMENT_SOURCES, '--outdir', 'dist', '--quiet'],
      { stdio: 'inherit' },
    );
    const { elementAttributes } = await importTs('widget/elements/manifest.ts');
    const path = resolve('dist/custom-elements.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
    for (const [tag, configAttributes] of Object.entries(elementAttributes())) {
      const element = declarations.find((d) => d.tagName === tag);
      if (!element) throw new Error(`custom-elements.json: no ${tag} declaration found`);
      const own = (element.attributes ?? []).filter((a) => !configAttributes.some((c) => c.name === a.name));
      element.attributes = [...configAttributes, ...own];
      const members = (element.members ?? []).filter((m) => !configAttributes.some((c) => c.fieldName === m.name));
      element.members = [
        ...configAttributes.map((a) => ({
          kind: 'field', name: a.fieldName, type: { text: `${a.type.text} | string | undefined` }, attribute: a.name, reflects: true,
          description: a.description,
        })),
        ...members,
      ];
    }
    writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  },
});

export default [
  {
    // The benchmark runner: development only (its peers are dev dependencies), so outside dist/.
    input: { bench: 'bench/main.ts' },
    output: { dir: 'build/bench', format: 'es', chunkFileNames: 'chunks/[name]-[hash].js' },
    external,
    plugins: [rawText(), transpileTs(), nodeResolve()],
    onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)),
  },
  {
    input: { index: 'widget/index.ts', cli: 'widget/cli/main.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    external,
    plugins: [rawText(), nodeResolve(), typescript({ tsconfig: './tsconfig.json', declaration: true, declarationDir: 'dist/types' })],
  },
  {
    input: 'widget/element.ts',
    output: { file: 'dist/cher-hedger.js', format: 'es', sourcemap: true, inlineDynamicImports: true, plugins: [minify()] },
    plugins: [
      inlineWorker(),
      // The page's thread reaches the shaders' modules through the bounds solver's imports; tree-shaken.
      rawText(),
      ssrSafeBaseClass(),
      nodeResolve({ browser: true }),
      // The first build already wrote every declaration to dist/types.
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined }),
      customElementsManifest(),
    ],
  },
  // Only the public API's types ship: each entry's declarations bundled into one self-contained file,
  // internal modules (the base64 WASM binaries among them) left behind in dist/types, removed after the last.
  ...['index', 'element'].map((entry, i, entries) => ({
    input: `dist/types/widget/${entry}.d.ts`,
    output: { file: `dist/${entry}.d.ts`, format: 'es' },
    plugins: [
      dts(),
      i === entries.length - 1 && { name: 'remove-intermediate-types', closeBundle: () => rmSync('dist/types', { recursive: true, force: true }) },
    ],
  })),
];
