import { enableAppCompileCache } from '../platform/compile-cache';

// The `vtcode-desktop` entry point: run one command and exit with its code. The CLI itself is
// imported after the compile cache is on, so its modules load from V8's cache on later starts.
enableAppCompileCache();
const { runCli } = await import('./cli');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
