// Bundles the screenshot harness with esbuild (from npm). Monaco's CSS and fonts ride along as files.
import { build } from 'esbuild';

export async function buildHarness(outdir) {
  await build({
    entryPoints: ['scripts/screenshots/harness.tsx'],
    bundle: true,
    outdir,
    format: 'esm',
    splitting: true,
    jsx: 'automatic',
    loader: { '.svg': 'file', '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.png': 'file', '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    logLevel: 'warning',
  });
}
