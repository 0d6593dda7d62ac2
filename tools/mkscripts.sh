#!/usr/bin/env bash
# tools/mkscripts.sh DIR BINDIR [SEEN_AS] - the "#!" scripts
# user/tests/t_script.c runs, written into DIR with their interpreters in
# BINDIR; scripts that name other scripts call DIR SEEN_AS (default DIR).
# On pagoda's root disk they are /test/scripts with /bin (tools/mkrootfs.sh
# stages them in its tree); on the host, a temporary directory and the
# build's programs (tests/user-host.sh).
set -euo pipefail
out=$1 bin=$2 dir=${3:-$1}
mkdir -p "$out"
printf '#!%s/t_args   -x  y  \n' "$bin" > "$out/args"          # one argument: "-x  y"
printf '#!%s/args\n' "$dir" > "$out/nested"                     # a script runs a script
printf '#!/bin/sh\necho "hello from $0"\nexit 5\n' > "$out/hello"
printf '#!%s/loop\n' "$dir" > "$out/loop"                       # ELOOP
printf '#!\n' > "$out/empty"                                    # ENOEXEC
printf '#!/no/such/interpreter\n' > "$out/missing"              # ENOENT
chmod 755 "$out"/*
