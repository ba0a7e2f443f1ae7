import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { providerUtilsPlainHeaders } from './scripts/provider-utils-headers';

const root = import.meta.dirname;

// main: the Electron entry and the plain-Node CLI (which also hosts browser mode) share one build.
// preload: sandboxed preloads cannot require packages, so it is one self-contained CommonJS file.
export default defineConfig({
  main: {
    // The providers' SDKs build headers without loading undici: see the plugin's file.
    plugins: [providerUtilsPlainHeaders()],
    // The AI SDK's default provider (AI Gateway) is never used: see main/agent/providers/no-gateway.ts.
    resolve: {
      alias: { '@ai-sdk/gateway': resolve(root, 'main/agent/providers/no-gateway.ts') },
    },
    build: {
      outDir: 'out/main',
      // Pure-JS dependencies are bundled (a cold CLI spent most of its start-up resolving and
      // reading hundreds of their files); native modules and packages that find files of their
      // own at run time (the sandbox runtime, tree-sitter's wasm, keytar, node-pty) stay external.
      externalizeDeps: {
        exclude: [
          'ai',
          '@ai-sdk/anthropic',
          '@ai-sdk/google',
          '@ai-sdk/openai',
          '@ai-sdk/openai-compatible',
          'zod',
          'smol-toml',
          'diff',
          'ws',
        ],
      },
      rollupOptions: {
        input: {
          index: resolve(root, 'main/index.ts'),
          cli: resolve(root, 'main/cli/index.ts'),
        },
        output: {
          // Less source for V8 to scan when a function first runs, and every source string kept
          // one byte per character (a single non-ASCII character makes V8 hold the whole file
          // as UTF-16). Names stay as written, so stack traces and error names read the same.
          // VTCODE_BUILD_NO_MINIFY=1 keeps the output readable (profiling, debugging).
          minify: process.env.VTCODE_BUILD_NO_MINIFY
            ? false
            : {
                compress: { keepNames: { function: true, class: true } },
                mangle: false,
                codegen: { removeWhitespace: true, asciiOnly: true },
              },
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // The first screen parses what it loads: minified, and the rest split off (issue 18).
      minify: true,
      rollupOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
        output: {
          // React DOM in a chunk of its own: Chromium parses each script on its own thread as
          // it arrives, so the two halves of the first screen are parsed side by side.
          codeSplitting: {
            groups: [{ name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/ }],
          },
        },
      },
    },
  },
});
