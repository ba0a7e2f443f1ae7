#!/usr/bin/env bash
# Set up everything VT Code Desktop needs on this machine, then install the npm packages.
# As root on Debian/Ubuntu it apt-installs the system packages; elsewhere it names what is missing.
# Safe to run again: it only installs what is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Debian package -> the command or file that shows it is installed.
DEB_PACKAGES=(
  "chromium:/usr/bin/chromium"                 # end-to-end tests drive Debian's Chromium
  "libsecret-1-dev:/usr/include/libsecret-1"   # keytar builds against libsecret
  "libsecret-tools:/usr/bin/secret-tool"       # tests check the keyring with secret-tool
  "gnome-keyring:/usr/bin/gnome-keyring-daemon" # a Secret Service for the keychain
  "dbus:/usr/bin/dbus-daemon"                  # the session bus the Secret Service lives on
  "dbus-x11:/usr/bin/dbus-launch"
  "bubblewrap:/usr/bin/bwrap"                  # the command sandbox on Linux
  "socat:/usr/bin/socat"                       # the sandbox's network proxy bridge
  "ripgrep:/usr/bin/rg"                        # the agent's file search
  "curl:/usr/bin/curl"                         # network and token tests make requests from inside the sandbox
  "xvfb:/usr/bin/Xvfb"                         # a display for the Electron e2e spec
  "xauth:/usr/bin/xauth"
  "python3:/usr/bin/python3"                   # node-gyp (keytar, node-pty)
  "make:/usr/bin/make"
  "g++:/usr/bin/g++"
  "pkg-config:/usr/bin/pkg-config"
)

missing_debian() {
  local entry pkg probe
  for entry in "${DEB_PACKAGES[@]}"; do
    pkg=${entry%%:*}
    probe=${entry#*:}
    [ -e "$probe" ] || printf '%s\n' "$pkg"
  done
}

setup_linux() {
  local missing
  missing=$(missing_debian | tr '\n' ' ')
  if [ -z "${missing// /}" ]; then
    say "System packages: all present"
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "This is not a Debian/Ubuntu system. Install the equivalents of: $missing"
    return
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      die "Missing system packages: $missing
Run as root (or with sudo):  apt-get update && apt-get install -y $missing"
    fi
  fi
  say "Installing system packages: $missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

setup_macos() {
  local missing=()
  command -v rg >/dev/null 2>&1 || missing+=("ripgrep (brew install ripgrep)")
  xcode-select -p >/dev/null 2>&1 || missing+=("Xcode command line tools (xcode-select --install) for native modules")
  if [ ! -x "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" ] && [ ! -x "/Applications/Chromium.app/Contents/MacOS/Chromium" ] && [ -z "${CHROMIUM_PATH:-}" ]; then
    missing+=("Chrome or Chromium for the e2e tests (or set CHROMIUM_PATH)")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    warn "Missing on this Mac:"
    printf '  - %s\n' "${missing[@]}" >&2
  else
    say "System tools: all present (the macOS keychain and Seatbelt sandbox are built in)"
  fi
}

case "$(uname -s)" in
  Linux) setup_linux ;;
  Darwin) setup_macos ;;
  *) warn "Unsupported OS $(uname -s): install Node.js 22+, ripgrep and a Chromium yourself." ;;
esac

command -v npm >/dev/null 2>&1 || die "npm is not installed. Install Node.js (any version with npm 10+); the project brings its own Node 22."

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund 2> >(grep -v -E 'EBADENGINE|^npm warn (  |\}|$)' >&2)
else
  say "npm packages: up to date"
fi

# The project runs on the Node 22 from the node@22 devDependency (node_modules/.bin/node), whatever
# the system's Node is; npm scripts put it first on PATH.
node_version=$(node_modules/.bin/node -p 'process.versions.node' 2>/dev/null) || die "node_modules/.bin/node is missing: the node@22 package did not install (is its install script approved in package.json allowScripts?)"
case "$node_version" in
  2[2-9].*|[3-9][0-9].*) say "Node.js $node_version (project-local) ready" ;;
  *) die "node_modules/.bin/node is $node_version; 22.12 or newer is required" ;;
esac

[ -f node_modules/keytar/build/Release/keytar.node ] || die "keytar's native module did not build: install libsecret-1-dev, python3, make and g++, then run this script again"
[ -f node_modules/node-pty/build/Release/pty.node ] || [ -d node_modules/node-pty/prebuilds/"$(node_modules/.bin/node -p 'process.platform+"-"+process.arch')" ] || die "node-pty's native module did not build: install python3, make and g++, then run this script again"
say "Setup complete"
