#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image:
# the Debian/Ubuntu packages tracelab needs, then the kit itself.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq gcc make libseccomp-dev gettext python3 python3-pytest python3-pytest-xdist
cd "$(dirname "$0")"        # /autograder/source
make -s all
