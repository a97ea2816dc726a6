#!/usr/bin/env bash
# Runs the Zapier CLI (`zapier-platform`) under Node 22, which zapier-platform-cli 19 requires, while the workspace
# keeps the machine's Node. The first run installs the versions pinned in scripts/zapier-cli/package-lock.json into
# a cache folder: node_modules/.cache/zapier-cli at the workspace root, or ZAPIER_CLI_CACHE when set. The default is
# ignored by git and lies outside this app, because `build` puts every package.json under the app folder into
# build.zip. Later runs reuse the cache until the lock file changes.
#
# Usage: scripts/zapier-cli.sh <zapier-platform arguments>, for example `validate --without-style`.
# The CLI runs in apps/zapier, and runs the package's `_zapier-build` script before `validate`, `build` and `push`.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_dir="$(dirname "$script_dir")"
toolchain_dir="$script_dir/zapier-cli"
workspace_dir="$(cd "$app_dir/../.." && pwd)"
cache_dir="${ZAPIER_CLI_CACHE:-$workspace_dir/node_modules/.cache/zapier-cli}"

# Keep the CLI from sending usage analytics or checking for updates.
export DISABLE_ZAPIER_ANALYTICS=1
export NO_UPDATE_NOTIFIER=1

install_toolchain() {
  local stamp
  stamp="$(cat "$toolchain_dir/package.json" "$toolchain_dir/package-lock.json" | sha256sum | cut -d ' ' -f 1)"
  if [[ -f "$cache_dir/.installed" && "$(cat "$cache_dir/.installed")" == "$stamp" ]]; then
    return
  fi

  echo "zapier-cli: installing Node 22 and zapier-platform-cli into $cache_dir" >&2
  rm -rf "$cache_dir/node_modules"
  cp "$toolchain_dir/package.json" "$toolchain_dir/package-lock.json" "$cache_dir/"
  (cd "$cache_dir" && npm ci --no-audit --no-fund --loglevel=error)

  if ! "$cache_dir/node_modules/node/bin/node" --version >/dev/null; then
    echo "zapier-cli: the Node 22 binary did not install (the \`node\` package fetches it in a preinstall script)" >&2
    exit 1
  fi
  echo "$stamp" >"$cache_dir/.installed"
}

mkdir -p "$cache_dir"
# Two CLI runs at once (turbo runs tasks in parallel) must not install into the same folder together.
exec 9>"$cache_dir/.lock"
flock 9
install_toolchain
flock -u 9

cd "$app_dir"
exec "$cache_dir/node_modules/node/bin/node" "$cache_dir/node_modules/zapier-platform-cli/src/bin/run" "$@"
