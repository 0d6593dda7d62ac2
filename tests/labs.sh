# tests/labs.sh - the labs in make test (sourced by tests/run): for each
# lab N (tests/labs/labN.sh), its skeleton (make lab N=N) builds with
# -Werror and fails in-kernel tests of its rubric, saying "lab N: ... not
# implemented";
# all the stubs at once build with clang; and a student's hand-in goes
# through Gradescope's autograder to 100. That this tree scores 100 on
# every lab is checked by the handouts' own `make grade N=N` lines, which
# tests/doc-commands.sh runs (make grade exits 1 below 100).

# The labs, by number.
lab_numbers() { ls tests/labs | sed -n 's/^lab\([0-9][0-9]*\)\.sh$/\1/p' | sort -n; }

labs_jobs() {
	local n
	for n in $(lab_numbers); do
		job "labs/lab$n/skeleton_builds_and_fails" -- lab_skeleton "$n"
	done
	[ -f tests/labs/lab8.sh ] && job labs/handin_through_autograder_scores_100 -- lab_handin_roundtrip
	return 0
}

# lab_grade NAME DIR N [T]: grades lab N in DIR (one boot at a time: the
# suite runs other jobs beside), or only its tests whose names start with
# T; sets grade_score (empty if it printed none).
lab_grade() {
	local name=$1 dir=$2 n=$3
	(cd "$dir" && BUILD=build JOBS=1 T=${4:-} tools/lab/grade.sh "$n") > "$LOGS/$name-grade.log" 2>&1
	grade_score=$(sed -n 's/^score: \([0-9]*\)\/100$/\1/p' "$LOGS/$name-grade.log")
}

# seed_build DIR: gives the build directory DIR this build's outputs,
# times kept, so that a make there compiles only what differs (and
# neither downloads busybox again nor remakes the disks: cp -a keeps
# them sparse).
seed_build() {
	local e
	mkdir -p "$1"
	for e in obj user tools rootfs ksyms-empty.c ksyms.c kernel.stage1.elf kernel.elf \
		 syms.stage1 syms.final initrd.cpio extra-bin.stamp swap.stamp cflags.stamp \
		 user-bins.stamp busybox disk.img swap.img; do
		[ -e "$BUILD/$e" ] && cp -a "$BUILD/$e" "$1/"
	done
	return 0
}

# lab_seed DIR: the same for the tree DIR (its build/), so that its make
# compiles only the files its stubs changed.
lab_seed() { seed_build "$1/build"; }

lab_skeleton() {
	local n=$1 name=labs/lab$n/skeleton_builds_and_fails dir=$LOGS/lab$n-skeleton
	rm -rf "$dir"
	if ! GIT=0 tools/lab/mklab.sh "$n" "$dir" > "$LOGS/lab$n-mklab.log" 2>&1; then
		fail "$name" "make lab N=$n failed" "$LOGS/lab$n-mklab.log"
		return
	fi
	lab_seed "$dir"
	if ! make --no-print-directory -C "$dir" all BUILD=build > "$LOGS/lab$n-skeleton-build.log" 2>&1; then
		fail "$name" "the skeleton does not build (gcc, -Werror)" "$LOGS/lab$n-skeleton-build.log"
		return
	fi
	# Its in-kernel tests are enough to show the stubs fail (the rubric's
	# host tests and workloads would only fail again, at a minute's cost).
	lab_grade "lab$n-skeleton" "$dir" "$n" "lab$n/kernel/"
	local failed
	failed=$(grep -cE "^ +0/[0-9]+ +lab$n/kernel/" "$LOGS/lab$n-skeleton-grade.log")
	if ! grep -qx "make grade N=$n" "docs/labs/lab$n.md" 2>/dev/null; then
		fail "$name" "docs/labs/lab$n.md has no 'make grade N=$n' line for the doc tests to run"
	elif [ -z "$grade_score" ]; then
		fail "$name" "its grader printed no score" "$LOGS/lab$n-skeleton-grade.log"
	elif (( failed == 0 )); then
		fail "$name" "the skeleton passes every in-kernel test of lab $n: its stubs pass its tests" "$LOGS/lab$n-skeleton-grade.log"
	elif ! grep -rqs "lab $n: .*not implemented" "$dir/build/grade/lab$n"; then
		fail "$name" "it fails without saying 'lab $n: ... not implemented'" "$LOGS/lab$n-skeleton-grade.log"
	else
		echo "labs: the lab $n skeleton fails $failed of its in-kernel tests"
		pass "$name"
		rm -rf "$dir"
	fi
}

# Every lab's stubs in one tree, built by clang (gcc builds each skeleton
# above). Seeded from the clang build of this tree: run after it.
lab_all_stubs_clang() {
	local name=clang/all_lab_stubs_build dir=$LOGS/lab-all-stubs
	[ -n "$(lab_numbers)" ] || return 0
	rm -rf "$dir"
	GIT=0 tools/lab/mklab.sh all "$dir" > "$LOGS/lab-all-mklab.log" 2>&1 ||
		{ fail "$name" "make lab N=all failed" "$LOGS/lab-all-mklab.log"; return; }
	BUILD=build/clang lab_seed "$dir"
	if make --no-print-directory -C "$dir" CC=clang BUILD=build build/kernel.elf \
		> "$LOGS/lab-all-clang.log" 2>&1; then
		pass "$name"
		rm -rf "$dir"
	else
		fail "$name" "the stubs do not build with clang -Werror" "$LOGS/lab-all-clang.log"
	fi
}

# A student's round trip: the skeleton of the lab with the fewest tests,
# the solution put back (the full tree's files) plus an answers file,
# make handin; then make autograder's zip run as Gradescope runs it, on
# that patch: results.json must give 100.
lab_handin_roundtrip() {
	local name=labs/handin_through_autograder_scores_100 n=8 dir=$LOGS/lab-handin ag=$LOGS/lab-autograder f
	rm -rf "$dir" "$ag"
	GIT=1 tools/lab/mklab.sh "$n" "$dir" > "$LOGS/lab-handin.log" 2>&1 ||
		{ fail "$name" "make lab N=$n failed" "$LOGS/lab-handin.log"; return; }
	for f in $(grep -rl --include='*.[ch]' --include='*.asm' --include='*.inc' "LAB $n BEGIN" \
			boot kernel mm drivers tests); do
		cp "$f" "$dir/$f"
	done
	printf '# Lab %s answers\n\n1. ...\n' "$n" > "$dir/answers-lab$n.md"
	make --no-print-directory -C "$dir" handin >> "$LOGS/lab-handin.log" 2>&1 ||
		{ fail "$name" "make handin failed" "$LOGS/lab-handin.log"; return; }
	make --no-print-directory autograder N=$n OUT="$ag/autograder.zip" >> "$LOGS/lab-handin.log" 2>&1 ||
		{ fail "$name" "make autograder failed" "$LOGS/lab-handin.log"; return; }
	mkdir -p "$ag/source" "$ag/submission" "$ag/results"
	unzip -q "$ag/autograder.zip" -d "$ag/source"
	# Gradescope's image build, its make seeded with this tree's objects.
	lab_seed "$ag/source/skeleton"
	"$ag/source/setup.sh" >> "$LOGS/lab-handin.log" 2>&1 ||
		{ fail "$name" "setup.sh failed" "$LOGS/lab-handin.log"; return; }
	cp "$dir/lab$n-handin.patch" "$ag/submission/"
	AUTOGRADER_ROOT=$ag JOBS=1 T= "$ag/source/run_autograder" >> "$LOGS/lab-handin.log" 2>&1
	if grep -q '"score": 100' "$ag/results/results.json" 2>/dev/null &&
	   grep -q "answers-lab$n.md" "$dir/lab$n-handin.patch"; then
		pass "$name"
		rm -rf "$dir" "$ag"
	else
		fail "$name" "results.json: $(tr -d '\n' < "$ag/results/results.json" 2>/dev/null | cut -c1-200)" \
			"$LOGS/lab-handin.log"
	fi
}
