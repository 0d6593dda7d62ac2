#!/usr/bin/env bash
# tools/lab/mklab.sh N OUT - `make lab N=5 [OUT=dir] [GIT=0]`: writes a
# student's tree for lab N (docs/labs/README.md).
#
# The tree is a copy of this one (the files git knows, as they are in the
# working tree, plus new files not ignored) in which every region marked
# LAB N in a source file (.c .h .asm .inc) is replaced by its stub
# (tools/lab/unmark.awk); every other file
# and every other lab's region is as it is here. N=all stubs every lab
# (the tests build that tree to check that all stubs compile together).
#
# OUT must not exist. With GIT=1 (the default) OUT becomes a git
# repository of its own with one commit, "lab N skeleton": never a branch
# of this repository, whose history holds the solutions. OUT/.lab/ keeps
# the lab's number and the skeleton as handed out, for `make handin`.
set -euo pipefail
cd "$(dirname "$0")/../.."
die() { echo "make lab: $*" >&2; exit 2; }

n=${1:-}
out=${2:-}
[ -n "$n" ] || die "which lab? make lab N=1..8 (docs/labs/README.md lists them)"
if [ "$n" != all ]; then
	[ -f "tests/labs/lab$n.sh" ] || die "there is no lab '$n': tests/labs/ has $(ls tests/labs | sed -n 's/^lab\([0-9]*\)\.sh$/\1/p' | sort -n | tr '\n' ' ')"
fi
[ -n "$out" ] || die "OUT= must name a new directory"
[ ! -e "$out" ] || die "$out already exists: remove it or give another OUT="
title=$( [ "$n" = all ] && echo "every lab" || sed -n 's/^lab_title "\(.*\)"$/\1/p' "tests/labs/lab$n.sh")

# The files: from git where we are in a checkout, else every file but the build's.
files=$(mktemp)
trap 'rm -f "$files"' EXIT
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"      # a file deleted but not yet committed: skip
	done > "$files"
else
	find . -path ./build -prune -o -path ./.git -prune -o -path ./.lab -prune \
		-o -type f -printf '%P\0' > "$files"
fi

mkdir -p "$out"
tar -cf - --null -T "$files" | tar -xpf - -C "$out"     # times kept: make rebuilds only what changes

# The stubs.
regions=0 changed=()
pattern=$( [ "$n" = all ] && echo 'LAB [0-9]* BEGIN' || echo "LAB $n BEGIN")
while IFS= read -r f; do
	count=$(mktemp)
	awk -v lab="$n" -v file="$f" -v count="$count" -f tools/lab/unmark.awk "$f" > "$out/$f" ||
		{ rm -f "$count"; rm -rf "$out"; die "broken lab markers in $f (nothing written)"; }
	regions=$((regions + $(cat "$count")))
	rm -f "$count"
	changed+=("$f")
done < <(tr '\0' '\n' < "$files" | grep -E '\.(c|h|asm|inc)$' | xargs -d '\n' grep -l -- "$pattern" 2>/dev/null || true)
(( regions > 0 )) || { rm -rf "$out"; die "no region of lab $n is marked in this tree"; }

# What make handin diffs against.
mkdir -p "$out/.lab"
echo "$n" > "$out/.lab/number"
(cd "$out" && tar -czf .lab/skeleton.tar.gz --exclude=./.lab .)
if [ "${GIT:-1}" = 1 ]; then
	(cd "$out" && git init -q && git add -A &&
	 git -c user.name="pagoda labs" -c user.email="labs@pagoda.invalid" \
		commit -q -m "lab $n skeleton: $title")
fi

echo "lab $n ($title): $regions region(s) to write, in ${changed[*]}"
echo "written to $out$( [ "${GIT:-1}" = 1 ] && echo ", a git repository with one commit")"
[ "$n" = all ] || echo "the handout: $out/docs/labs/lab$n.md; grade it with: cd $out && make grade N=$n"
