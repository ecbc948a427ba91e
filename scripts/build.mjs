// Bundles corral (no node_modules lookups at start-up: fast for a TUI), its guardian, and the benchmarks.
// node-pty is native and stays in node_modules.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';

// Ink loads react-devtools-core only when DEV=true; in a single-file bundle its import would be hoisted and
// fail at start-up. The bundle does not support Ink's devtools, so it gets an empty module.
const devtoolsStub = {
  name: 'devtools-stub',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['node-pty'],
  plugins: [devtoolsStub],
  sourcemap: 'linked',
  // CORRAL_NO_MINIFY=1 keeps names readable in CPU profiles.
  minify: process.env.CORRAL_NO_MINIFY !== '1',
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); give them one.
  banner: { js: "import { createRequire as __corralRequire } from 'node:module'; const require = __corralRequire(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
};

// Chunk names change with their content: drop the previous build's.
mkdirSync('dist', { recursive: true });
for (const f of readdirSync('dist', { withFileTypes: true }).filter((e) => e.name.startsWith('chunk-'))) rmSync(`dist/${f.name}`);

const benches = readdirSync('bench')
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => `bench/${f}`);

await Promise.all([
  // Split at the dynamic imports, so that each command loads only what it runs (exec and app-server never
  // parse Ink, React or the Markdown modules; the TUI draws its first frame before the backend is parsed).
  // Chunks sit next to corral.js: code that finds files next to itself works from any of them.
  build({ ...shared, entryPoints: { corral: 'src/main.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunk-[hash]' }),
  // The guardian runs as its own small process; corral finds it next to itself.
  build({ ...shared, entryPoints: ['src/exec/guardian-main.ts'], outfile: 'dist/guardian.js' }),
  build({ ...shared, entryPoints: benches, outdir: 'dist/bench' }),
]);
