#!/bin/sh
# Set up (Debian packages, autoreconf, configure, make) and start memtop.
#   sudo scripts/run.sh [memtop options]
set -e
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/memtop "$@"
