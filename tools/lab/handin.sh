#!/usr/bin/env bash
# tools/lab/handin.sh - `make handin` in a lab's tree (made by make lab):
# writes labN-handin.patch, every change made since the skeleton was
# handed out (new files too, such as answers-labN.md), as one patch
# against the skeleton, which is what a student submits. The skeleton as
# handed out is in .lab/; the build directory and git's files are left
# out. The autograder applies the patch to the same skeleton with
# `git apply` and grades the result (make autograder).
set -euo pipefail
cd "$(dirname "$0")/../.."
die() { echo "make handin: $*" >&2; exit 2; }
[ -f .lab/number ] && [ -f .lab/skeleton.tar.gz ] ||
	die "this is not a lab's tree: run it in the directory make lab N=... wrote"
n=$(cat .lab/number)
out=lab$n-handin.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/a"
tar -xzf .lab/skeleton.tar.gz -C "$tmp/a"
ln -s "$PWD" "$tmp/b"
# diff exits 1 when the trees differ: that is the point, not an error.
(cd "$tmp" && diff -ruN --exclude=build --exclude=.git --exclude=.lab --exclude='lab*-handin.patch' \
	a b) > "$tmp/patch" || [ $? = 1 ] || die "diff failed"
mv "$tmp/patch" "$out"
files=$(grep -c '^+++ ' "$out" || true)
echo "$out: your changes to $files file(s) against the lab $n skeleton ($(wc -l < "$out") lines); hand in this file"
