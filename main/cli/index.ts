import { runCli } from './cli';

// The `vtcode-desktop` entry point: run one command and exit with its code.
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
