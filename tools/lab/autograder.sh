#!/usr/bin/env bash
# tools/lab/autograder.sh N OUT - `make autograder N=5`: writes OUT
# ($BUILD/autograder-lab5.zip), the zip Gradescope's autograder takes:
#
#   setup.sh          Gradescope runs it once when it builds the image:
#                     installs the tools (tools/deps.sh, Debian/Ubuntu apt)
#                     and builds the skeleton, so that each submission
#                     compiles only the files its patch changes
#   run_autograder    runs for each submission: copies the skeleton (with
#                     its build), applies the submitted lab5-handin.patch
#                     (make handin) with git apply, builds, grades
#                     (tools/lab/grade.sh) into /autograder/results/results.json
#   skeleton/         the lab's tree as make lab N=5 hands it out
#
# AUTOGRADER_ROOT=dir makes run_autograder use dir instead of /autograder
# (its source/, submission/ and results/), to try it without Gradescope.
set -euo pipefail
cd "$(dirname "$0")/../.."
die() { echo "make autograder: $*" >&2; exit 2; }
n=${1:-}
out=${2:-}
[ -n "$n" ] && [ -f "tests/labs/lab$n.sh" ] || die "which lab? N=1..8"
[ -n "$out" ] || die "where? OUT=file.zip"
tools/deps.sh lab
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
GIT=0 tools/lab/mklab.sh "$n" "$stage/skeleton" > /dev/null

cat > "$stage/setup.sh" <<'SETUP'
#!/usr/bin/env bash
# Gradescope: installs what building and booting the kernel needs.
set -e
cd "$(dirname "$0")/skeleton"
tools/deps.sh build
make all        # git apply gives the files it changes a newer time: only they compile again
SETUP

cat > "$stage/run_autograder" <<RUN
#!/usr/bin/env bash
# Gradescope: grades one submission of lab $n (a lab$n-handin.patch from make handin).
n=$n
RUN
cat >> "$stage/run_autograder" <<'RUN'
mkdir -p "${AUTOGRADER_ROOT:-/autograder}/results"
root=$(cd "${AUTOGRADER_ROOT:-/autograder}" && pwd)     # absolute: we cd below
results=$root/results/results.json
export BUILD=build      # the copy's own build, whatever the caller's environment says
unset T                 # every test of the lab
# give_zero WHY [LOG]: results.json with no points and why.
give_zero() {
	local msg=$1
	[ -n "${2:-}" ] && msg+=$'\n'$(tail -n 40 "$2")
	msg=$(printf '%s' "$msg" | tr -d '\000-\010\013-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' |
		awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }')
	printf '{"score": 0, "output": "%s", "tests": []}\n' "$msg" > "$results"
	echo "$1"
	exit 0
}
patch=$(find "$root/submission" -name "lab$n-handin.patch" | head -n 1)
[ -n "$patch" ] || give_zero "no lab$n-handin.patch in the submission: run make handin in your lab tree and submit the file it writes"
work=$(mktemp -d)
cp -a "$root/source/skeleton/." "$work/"
cd "$work"
# No repository around the copy may catch git apply's paths.
GIT_CEILING_DIRECTORIES=$(dirname "$work") git apply --whitespace=nowarn "$patch" > apply.log 2>&1 ||
	give_zero "your patch does not apply to the lab $n skeleton" apply.log
make all > build.log 2>&1 || give_zero "the kernel does not build with your changes" build.log
RESULTS=$results tools/lab/grade.sh "$n"
exit 0
RUN
chmod +x "$stage/setup.sh" "$stage/run_autograder"
mkdir -p "$(dirname "$out")"
rm -f "$out"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$stage" && zip -qr "$out" setup.sh run_autograder skeleton)
echo "$out: Gradescope's autograder for lab $n (setup.sh, run_autograder, the skeleton); $(du -k "$out" | cut -f1) KiB"
