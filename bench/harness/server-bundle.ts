import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('../../node_modules/.cache/localchat-bench', import.meta.url));
const nativePackages = ['better-sqlite3'];
const built = new Map<string, Promise<string>>();

/**
 * The server child compiled to one plain ES module, as the app ships the main process: measured
 * under plain `node`, without tsx's loader thread and its memory. Native packages stay external;
 * the output sits under node_modules so they resolve.
 */
export function bundleServerChild(options: {
  /** `room`: the room server; `floor`: the bare HTTPS server of floor-child.ts. */
  kind: 'room' | 'floor';
  memoizePasswordHashes: boolean;
}): Promise<string> {
  const memo = options.kind === 'room' && options.memoizePasswordHashes;
  const name = `${options.kind}-child${memo ? '-memo' : ''}.mjs`;
  let bundle = built.get(name);
  if (!bundle)
    built.set(
      name,
      (bundle = compile(`./${options.kind === 'room' ? 'server' : 'floor'}-child.ts`, name, memo)),
    );
  return bundle;
}

async function compile(
  entry: string,
  name: string,
  memoizePasswordHashes: boolean,
): Promise<string> {
  const plugins: Plugin[] = memoizePasswordHashes ? [argon2Memo()] : [];
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins,
    ssr: { noExternal: true },
    build: {
      ssr: fileURLToPath(new URL(entry, import.meta.url)),
      outDir,
      emptyOutDir: false,
      target: 'node20',
      sourcemap: true,
      minify: false,
      rolldownOptions: {
        external: (id: string) =>
          id.startsWith('node:') || builtinModules.includes(id) || nativePackages.includes(id),
        output: { format: 'es', entryFileNames: name },
      },
    },
  });
  return `${outDir}/${name}`;
}

/** Sends credentials.ts's argon2 import to argon2-memo.ts (whose own import stays the real one). */
function argon2Memo(): Plugin {
  const memo = fileURLToPath(new URL('./argon2-memo.ts', import.meta.url));
  return {
    name: 'localchat-bench-argon2-memo',
    enforce: 'pre',
    resolveId(source, importer) {
      return redirectsToMemo(source, importer) ? memo : null;
    },
  };
}

function redirectsToMemo(source: string, importer: string | undefined): boolean {
  return (
    source === './argon2-thread' &&
    (importer?.endsWith('/src-main/server/rooms/credentials.ts') ?? false)
  );
}
