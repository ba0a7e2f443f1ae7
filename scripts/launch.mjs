// `npm start`: build, then open the desktop app where Electron can start; otherwise say why and
// start browser mode, printing its URL. `npm start -- --browser` always uses browser mode; any
// other arguments go to `vtcode-desktop serve` (e.g. --port 8123).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');
const serveArgs = args.filter((a) => a !== '--browser');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

/** Path of the Electron binary if it is installed, else null (never triggers a download). */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Why Electron cannot open a window here, or null when it can. */
function electronUnavailable() {
  const hasDisplay =
    process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const reasons = [];
  if (!electronBinary()) {
    if (hasDisplay) {
      console.log("Electron's binary is not installed yet: downloading it (one time)...");
      const installer = join(root, 'node_modules', 'electron', 'install.js');
      const result = spawnSync(process.execPath, [installer], {
        cwd: root,
        encoding: 'utf8',
        timeout: 180_000,
      });
      const firstError = `${result.stderr ?? ''}`.split('\n').find((line) => line.trim());
      if (result.status !== 0 && firstError) console.log(`  download failed: ${firstError.trim()}`);
    }
    if (!electronBinary()) {
      reasons.push(
        hasDisplay
          ? "Electron's binary is not installed and could not be downloaded (Electron's download servers are out of reach)"
          : "Electron's binary is not installed",
      );
    }
  }
  if (!hasDisplay)
    reasons.push('there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)');
  return reasons.length === 0 ? null : reasons.join(', and ');
}

console.log('Building VT Code Desktop...');
if (run(bin('electron-vite'), ['build'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0) {
  console.error('The build failed; see the errors above.');
  process.exit(1);
}

const reason = forceBrowser ? 'browser mode was asked for (--browser)' : electronUnavailable();
let child;
if (reason === null) {
  console.log('Starting the desktop app (Electron)...');
  child = spawn(electronBinary(), [root], { cwd: root, stdio: 'inherit' });
} else {
  console.log(`\nNot opening the desktop window: ${reason}.`);
  console.log('Starting browser mode instead: the same app, served on this machine only.\n');
  child = spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'serve', ...serveArgs], {
    cwd: root,
    stdio: 'inherit',
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
