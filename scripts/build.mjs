// Bundles corral into one file (fast start-up for a TUI) plus the benchmarks. node-pty is native and stays
// in node_modules.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

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
  minify: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); give them one.
  banner: { js: "import { createRequire as __corralRequire } from 'node:module'; const require = __corralRequire(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
};

const benches = readdirSync('bench')
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => `bench/${f}`);

await Promise.all([
  build({ ...shared, entryPoints: ['src/main.ts'], outfile: 'dist/corral.js' }),
  build({ ...shared, entryPoints: benches, outdir: 'dist/bench' }),
]);
