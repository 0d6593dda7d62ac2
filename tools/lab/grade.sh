#!/usr/bin/env bash
# tools/lab/grade.sh N [--list] - `make grade N=5`: runs lab N's tests
# (tests/labs/labN.sh, the rubric) and scores them.
#
# Prints one line per test with its points as the tests finish, then
#     score: 85/100
# and writes the same as JSON in the form Gradescope's autograder reads
# (results.json: score; tests with name, score, max_score, status,
# output) to $BUILD/grade/labN/results.json, or to RESULTS= if given.
# Every boot's serial log is in $BUILD/grade/labN/. --list prints the
# rubric (points and names) without running anything.
#
# Up to JOBS tests run at once (default: one per CPU), each boot under a
# timeout of BOOT_TIMEOUT seconds (120), far more than any needs: no grade
# depends on the machine's speed. T=pattern runs only the tests whose
# names start with it (the others score 0), for a quick look at one.
#
# Exit status: 0 for full marks, 1 for less, 2 when the lab cannot be
# graded at all (no such lab, a rubric whose points do not sum to 100).
set -uo pipefail
cd "$(dirname "$0")/../.."
n=${1:-}
[ -n "$n" ] && [ -f "tests/labs/lab$n.sh" ] || {
	echo "make grade: which lab? N=$(ls tests/labs | sed -n 's/^lab\([0-9]*\)\.sh$/\1/p' | sort -n | tr '\n' ' ')" >&2
	exit 2
}
export BUILD=${BUILD:-build}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
. tests/lib.sh
. tests/labs/lib.sh
LAB=$n
LOGS=$BUILD/grade/lab$n
results=${RESULTS:-$LOGS/results.json}

# The rubric: names, points and kinds, in its order.
names=() points=() kinds=() units=() together=()
lab_test() {
	lab_test_check "$@"
	points+=("$1") names+=("$2") kinds+=("$4")
	[ "$4" = unit ] && units+=("$5")
	[ "$4" = ktest ] && [ $# = 5 ] && together+=("$2=$5")    # a ktest with nothing but its name
	return 0
}
LAB_TITLE= LAB_DEPENDS=
. "tests/labs/lab$n.sh"
total=0
for p in "${points[@]}"; do total=$((total + p)); done
if [ "${2:-}" = --list ]; then
	echo "lab $n: $LAB_TITLE (depends on: ${LAB_DEPENDS:-none})"
	for i in "${!names[@]}"; do printf '%4d  lab%s/%s\n' "${points[i]}" "$n" "${names[i]}"; done
	printf '%4d  in all\n' "$total"
	exit 0
fi
[ "$total" = 100 ] || { echo "tests/labs/lab$n.sh: the points sum to $total, not 100" >&2; exit 2; }

rm -rf "$LOGS"
mkdir -p "$LOGS"
echo "lab $n: $LAB_TITLE: ${#names[@]} tests (logs in $LOGS/)"

# Host unit tests need building first (only the ones this lab runs), in
# build/unit as the handouts build them, kept from one grading to the
# next: tests/unit/build.sh builds again only what a changed source could
# change, and waits for a build of the same directory running meanwhile.
UNIT_DIR=$BUILD/unit
unit_broken=
if [ ${#units[@]} -gt 0 ] &&
   ! tests/unit/build.sh "$UNIT_DIR" $(printf '%s\n' "${units[@]}" | sort -u) > "$LOGS/unit-build.log" 2>&1; then
	unit_broken="the host unit tests do not compile: $(grep -m1 'error' "$LOGS/unit-build.log")"
fi

# The in-kernel tests that need nothing but their name boot together
# first, in one boot (test=a,b,c): lab_kind_ktest takes each one's result
# from it, and boots a test alone only if that boot did not report it (it
# crashed or hung before the test's turn). One boot instead of one each.
batch_ktests() {
	local plain=() t
	for t in "${together[@]}"; do
		selected "lab$n/${t%%=*}" && plain+=("${t#*=}")
	done
	[ ${#plain[@]} -gt 1 ] || return 0
	KTEST_BATCH_LOG=$LOGS/ktests-together.log
	SNAPSHOT=1 KARGS="test=$(IFS=,; echo "${plain[*]}")" INTERACTIVE=0 TIMEOUT=$BOOT_TIMEOUT \
		tools/qemu.sh > "$KTEST_BATCH_LOG" 2>&1
}
KTEST_BATCH_LOG=
batch_ktests

# Each unit test binary runs once; every rubric line on it reads its log.
if [ -z "$unit_broken" ]; then
	for u in $(printf '%s\n' "${units[@]}" | sort -u); do
		"$UNIT_DIR/test_$u" > "$LOGS/unit-$u.log" 2>&1
		echo $? > "$LOGS/unit-$u.ran"
	done
fi

# Runs the tests: "ok labN/NAME" or "FAIL labN/NAME: why" (and the end of
# its log, indented) per test, in the rubric's order.
run_tests() {
	lab_test() {
		local name="lab$n/$2" kind=$4
		shift 4
		if [ "$kind" = unit ] && [ -n "$unit_broken" ]; then
			job "$name" -- fail "$name" "$unit_broken" "$LOGS/unit-build.log"
		else
			job "$name" -- "lab_kind_$kind" "$name" "$@"
		fi
	}
	. "tests/labs/lab$n.sh"
	finish_jobs                 # the last lines, and "N passed, N failed" (not shown)
}

# The points of test NAME (labN/... as printed).
points_of() {
	local i
	for i in "${!names[@]}"; do [ "lab$n/${names[i]}" = "$1" ] && { echo "${points[i]}"; return; }; done
	echo 0
}

# Shows each result as it comes, with its points; keeps every line in $LOGS/results.txt.
show_progress() {
	local line name p
	while IFS= read -r line; do
		echo "$line" >> "$LOGS/results.txt"
		case $line in
		"ok "*)   name=${line#ok }; p=$(points_of "$name")
			  printf '  %3d/%-3d  %s\n' "$p" "$p" "$name" ;;
		"FAIL "*) name=${line#FAIL }; name=${name%%: *}; p=$(points_of "$name")
			  printf '  %3d/%-3d  %s: %s\n' 0 "$p" "$name" "${line#FAIL "$name": }" ;;
		esac
	done
}

: > "$LOGS/results.txt"
run_tests | show_progress

# json_string: stdin as one JSON string (quotes, backslashes, control characters escaped).
json_string() {
	tr -d '\000-\010\013-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' |
		awk 'BEGIN { printf "\"" } NR > 1 { printf "\\n" } { printf "%s", $0 } END { printf "\"" }'
}

# result_of NAME: "pass", or the FAIL line and its indented log lines.
result_of() {
	awk -v ok="ok $1" -v bad="FAIL $1: " '
		$0 == ok { print "pass"; exit }
		index($0, bad) == 1 { found = 1; print substr($0, 6); next }
		found && /^    / { print; next }
		found { exit }' "$LOGS/results.txt"
}

score=0
{
	printf '{\n  "output": %s,\n  "tests": [\n' "$(echo "lab $n: $LAB_TITLE" | json_string)"
	for i in "${!names[@]}"; do
		name="lab$n/${names[i]}" max=${points[i]}
		r=$(result_of "$name")
		if [ "$r" = pass ]; then
			got=$max status=passed out="passed"
		else
			got=0 status=failed out=${r:-"$name: did not run (T= left it out, or the grader was stopped)"}
		fi
		score=$((score + got))
		printf '    {"name": %s, "score": %d, "max_score": %d, "status": "%s", "output": %s}%s\n' \
			"$(printf '%s' "$name" | json_string)" "$got" "$max" "$status" \
			"$(printf '%s\n' "$out" | json_string)" "$( ((i + 1 < ${#names[@]})) && echo ,)"
	done
	printf '  ],\n  "score": %d\n}\n' "$score"
} > "$results.tmp"
mkdir -p "$(dirname "$results")"
mv -f "$results.tmp" "$results"

echo "score: $score/100"
echo "results: $results"
[ "$score" = 100 ]
