#!/usr/bin/env bash
# `npm test`: every test of the project, in the order that fails fastest:
# lint and formatting, type checks, build, unit + integration tests (against a real, throwaway
# Secret Service), the Electron security scan, then the Playwright e2e specs. Ends with one line:
#   total: N passed, N failed, N skipped
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

# Run inside a private D-Bus session with a keyring of its own, so keychain tests never touch the
# user's real keyring and work on a headless machine.
if [ -z "${VTCODE_TEST_SESSION:-}" ] && command -v dbus-run-session >/dev/null 2>&1; then
  export VTCODE_TEST_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi
results="$PWD/.tmp/test-results"
rm -rf "$results" && mkdir -p "$results"
if [ -n "${VTCODE_TEST_SESSION:-}" ] && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  keyring_home=$(mktemp -d)
  trap 'rm -rf "$keyring_home"' EXIT
  # The daemon keeps its keyrings under XDG_DATA_HOME: a temp one, unlocked with a throwaway password.
  printf 'vtcode-test' | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  echo "Test keyring: gnome-keyring in a private D-Bus session"
else
  echo "Test keyring: none (dbus-run-session or gnome-keyring-daemon missing; run scripts/setup.sh): keychain tests will report themselves skipped"
fi

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Lint (eslint --max-warnings 0, prettier --check)"
[ -n "${VTCODE_SKIP_LINT:-}" ] || npm run --silent lint

step "Type-check every layer against Electron's own types"
npm run --silent typecheck

step "Build main, preload and renderer"
electron-vite build >/dev/null

step "Unit and integration tests (vitest)"
vitest_status=0
vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json" || vitest_status=$?

step "Electron security scan (electronegativity)"
scan_status=0
node scripts/electronegativity.mjs || scan_status=$?

step "End-to-end tests (Playwright, browser mode in Debian's Chromium; Electron where its binary exists)"
e2e_status=0
e2e=(playwright test --reporter=list,json)
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  e2e=(xvfb-run -a "${e2e[@]}")
fi
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" "${e2e[@]}" || e2e_status=$?

node scripts/test-summary.mjs "$results/vitest.json" "$results/playwright.json" "$scan_status"
[ "$vitest_status" -eq 0 ] && [ "$scan_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
