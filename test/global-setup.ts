// Bundles the test fixtures that run as separate Node processes (they import corral's TypeScript sources).
import { build } from 'esbuild';

export default async function setup(): Promise<void> {
  await build({
    entryPoints: [
      'test/fixtures/host.ts',
      'test/fixtures/terminals-host.ts',
      'test/fixtures/scripted-model.ts',
      'test/fixtures/guardian-host.ts',
      // Next to the hosts, where the bundled manager looks for it.
      { in: 'src/exec/guardian-main.ts', out: 'guardian' },
    ],
    outdir: 'dist/test-fixtures',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['node-pty'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __corralRequire } from 'node:module'; const require = __corralRequire(import.meta.url);" },
  });
}
