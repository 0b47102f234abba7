// Bundles the screenshot harness with esbuild (from npm). Monaco's CSS and fonts ride along as files.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * @grafana/plugin-compat (pulled in by @grafana/scenes) feature-detects runtime APIs that newer
 * Grafana lines add, by importing names @grafana/runtime 12.4 does not export and checking them
 * for `typeof … === 'function'`. Inside Grafana the runtime is an external, so this is fine; a
 * bundler that includes the runtime refuses the missing names. This plugin gives plugin-compat a
 * module that re-exports each name it asks for from the real runtime (undefined when absent), which
 * is exactly what it gets inside Grafana 12.4.
 */
const runtimeCompat = {
  name: 'runtime-compat',
  setup(b) {
    b.onResolve({ filter: /^@grafana\/runtime(\/unstable)?$/ }, (args) =>
      args.importer.includes(`${path.sep}@grafana${path.sep}plugin-compat${path.sep}`)
        ? { path: args.path, namespace: 'runtime-compat' }
        : undefined
    );
    b.onLoad({ filter: /.*/, namespace: 'runtime-compat' }, (args) => {
      const dir = 'node_modules/@grafana/plugin-compat/dist/esm';
      const names = new Set();
      const from = new RegExp(`import \\{([^}]*)\\} from '${args.path.replace('/', '\\/')}'`, 'g');
      for (const file of fs.readdirSync(dir, { recursive: true })) {
        if (!String(file).endsWith('.mjs')) {
          continue;
        }
        for (const m of fs.readFileSync(path.join(dir, String(file)), 'utf8').matchAll(from)) {
          m[1].split(',').forEach((n) => n.trim() && names.add(n.trim().split(/\s+as\s+/)[0]));
        }
      }
      const lines = [...names].map((n) => `export const ${n} = rt[${JSON.stringify(n)}];`);
      return {
        contents: `import * as rt from ${JSON.stringify(args.path)};\n${lines.join('\n')}\n`,
        resolveDir: process.cwd(),
        loader: 'js',
      };
    });
  },
};

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
    plugins: [runtimeCompat],
    // rt["name"] of a name the runtime lacks is meant to be undefined (see runtimeCompat).
    logOverride: { 'import-is-undefined': 'silent' },
    logLevel: 'warning',
  });
}
