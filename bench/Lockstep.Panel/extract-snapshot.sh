#!/usr/bin/env bash
# Extracts the folders the panel analyses from a fetched snapshot (a bare git directory) at the pinned commit.
# It downloads nothing: fetch the repository first (the session's fetch tool gives a bare git directory), then
#
#   bench/Lockstep.Panel/extract-snapshot.sh MIRROR_GIT_DIR COMMIT DEST FOLDER...
#
# e.g. bench/Lockstep.Panel/extract-snapshot.sh /work/.mirror/npgsql+npgsql/repo 3cb5804b… /work/panel-src/npgsql src/Npgsql
#
# DEST receives the folders at their paths in the repository (DEST/src/Npgsql/…), so finding paths read as repository
# paths. DEST is emptied first so files deleted upstream do not linger. Keep DEST outside any repository: third-party
# code is never committed here. `dotnet run --project bench/Lockstep.Panel -- --panel … --sources … --print-extract`
# prints this command for every library of a panel.
set -euo pipefail

if [[ $# -lt 4 ]]; then
  echo "usage: $0 MIRROR_GIT_DIR COMMIT DEST FOLDER..." >&2
  exit 2
fi

mirror=$1
commit=$2
dest=$3
shift 3

if ! git --git-dir="$mirror" cat-file -e "$commit^{commit}" 2>/dev/null; then
  echo "$mirror does not hold commit $commit; fetch a newer snapshot, or pin the commit it has (git --git-dir=$mirror log -1)." >&2
  exit 1
fi

rm -rf "$dest"
mkdir -p "$dest"
git --git-dir="$mirror" archive --format=tar "$commit" -- "$@" | tar -x -C "$dest"
echo "$dest: $(find "$dest" -name '*.cs' | wc -l) .cs files from $commit ($*)"
