#!/usr/bin/env bash
# tests/doc-commands.sh [FILE.md...] - runs every shell command shown in
# README.md, docs/*.md and docs/labs/*.md (or in the files named), the
# way a new user would, and checks that it does what the page says.
#
# The convention the pages follow (docs/design.md section 9):
#
#   ```sh          a block of host commands, one per line, each run by bash
#                  on its own from the repository root; `# comment` allowed.
#                  A line starting with "$ " is not a host command but what
#                  the user types at pagoda's "$ " prompt: it is fed to the
#                  console of the boot on the nearest line above it.
#   ```            the first plain (or ```text) block after a ```sh block,
#                  in the same section (no heading and no other ```sh block
#                  in between), shows the output of that block's last
#                  command. Its lines starting with "$ " are typed input
#                  (used when the ```sh block types nothing itself); every
#                  other line must appear in the command's output, where
#                  a number of two or more digits (or a hex number) stands
#                  for any number, runs of blanks for any blanks, and
#                  "..." for anything; a line that is only "..." is skipped.
#   <!-- not run in tests: WHY -->
#                  right above a ```sh block: its commands are reported
#                  as skipped, with WHY (make test itself, make bench's
#                  ten minutes, make debug's interactive GDB, ...). A
#                  `make test`, `make bench` or `make debug` that is not
#                  marked fails without being run.
#
# A boot (a command that contains `make run` or `tools/qemu.sh`) gets its
# typed lines one at a time, each when a new "$ " prompt has appeared, as
# if someone typed them; then Ctrl-D (end of input), on which the shell
# and so init exit. A boot with nothing typed that never shows a prompt
# (init=/bin/hello) just runs to its end.
#
# A typed command that fails (the shell's "[exit N]" or "[killed by signal
# N (SIG)]", also "[PID ...]" for a background one) fails the test unless
# the page's output shows that line.
#
# Exit status: every command must exit 0, except a `make run ...` line
# whose init exits with S != 0 (the output shows "init exited with status
# S" or make's "Error S", or the last line typed is "exit S"): make then
# exits 2. A line that is only `[VAR=value...] tools/qemu.sh` must exit S.
#
# Every boot gets TIMEOUT=$DOC_BOOT_TIMEOUT (120 s: the Kubernetes demo, the
# longest, takes 30 s alone and over 60 on a loaded host; a line may set its own)
# and every command a hard limit of $DOC_CMD_TIMEOUT (180 s).
#
# Output: one line per command, "ok doc/FILE/NAME", "FAIL doc/FILE/NAME:
# why" (with the log's last lines) or "skip doc/FILE/NAME: why"; then
# "N passed, N failed, N skipped". Exits 1 if any failed. Logs are in
# $BUILD/test-logs/doc/. Needs a built tree (`make`). The commands rebuild
# the images in $BUILD as `make run` does (EXTRA_BIN puts a program in
# disk.img until the next make), so do not run this beside other boots of
# the same build directory; BUILD=dir gives it one of its own (the first
# `make run` then builds everything there).
set -uo pipefail
# The commands run as a reader types them: without the T= that picked this
# page from the suite (make grade and tests/run would read it as theirs).
unset T
docs=()
for f in "$@"; do                   # named files, relative to where we were started
	[ -f "$f" ] || { echo "doc-commands: no such file: $f" >&2; exit 2; }
	docs+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
done
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
LOGS=$BUILD/test-logs/doc
export TIMEOUT=${DOC_BOOT_TIMEOUT:-120}
CMD_TIMEOUT=${DOC_CMD_TIMEOUT:-180}
mkdir -p "$LOGS"
passed=0
failed=0
skipped=0
start=$SECONDS

pass() { echo "ok $1"; passed=$((passed + 1)); }

# fail NAME WHY [LOG]
fail() {
	echo "FAIL $1: $2"
	failed=$((failed + 1))
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		echo "    ---- last 25 lines of $3"
		tail -n 25 "$3" | tr -d '\r' | sed 's/^/    | /'
	fi
}

# Reads one markdown file; prints one record per line, fields split by
# the ASCII unit separator (\037; a tab would merge empty fields in read):
#   C LINE SKIP-REASON COMMAND   a host command (SKIP-REASON empty: run it)
#   T TEXT                       typed at the prompt (for the last C)
#   I TEXT                       typed, from an output block (for the last C)
#   O TEXT                       a line of the expected output (for the last C)
parse_doc() {
	awk '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function uncomment(s) { sub(/[ \t]+#.*$/, "", s); return trim(s) }
	BEGIN { fence = ""; want_output = 0; skip = ""; last = ""; cont = "" }
	fence != "" {
		if ($0 ~ /^```/) {
			if (fence == "sh")
				want_output = 1
			fence = ""
			next
		}
		if (fence == "sh") {
			line = $0
			if (cont != "") { line = cont " " trim(line); cont = "" }
			if (line ~ /\\$/) { cont = substr(line, 1, length(line) - 1); next }
			t = trim(line)
			if (t == "" || t ~ /^#/)
				next
			if (t ~ /^\$ /) {
				if (skip == "")
					print "T\037" uncomment(substr(t, 3))
				next
			}
			print "C\037" NR "\037" skip "\037" t
		} else if (fence == "out") {
			t = trim($0)
			if (t ~ /^\$ /)
				print "I\037" uncomment(substr(t, 3))
			else if (t != "" && t != "...")
				print "O\037" t
		}
		next
	}
	/^```/ {
		lang = trim(substr($0, 4))
		if (lang == "sh") {
			fence = "sh"
			skip = ""
			if (match(last, /^<!--[ \t]*not run in tests:/)) {
				skip = trim(substr(last, RLENGTH + 1))
				sub(/[ \t]*-->$/, "", skip)
				if (skip == "")
					skip = "marked not run"
			}
		} else if (want_output && (lang == "" || lang == "text") && skip == "") {
			fence = "out"
		} else {
			fence = "other"
		}
		want_output = 0
		next
	}
	/^#/ { want_output = 0 }
	/[^ \t]/ { last = trim($0) }
	' "$1"
}

# A name for a command: its words, made safe for a test name.
slug() {
	local s=${1%%[[:space:]]#*}
	s=$(printf '%s' "$s" | tr -c 'A-Za-z0-9_.=' '-' | tr -s '-')
	s=${s#-}
	s=${s%-}
	printf '%s' "${s:0:60}"
}

# The regular expression (grep -E) for each expected output line of
# stdin, a line each (one awk for all of a command's lines).
line_regexes() {
	awk '
	function hexword(w) { return w ~ /^[0-9a-fA-F]+([.][0-9a-fA-F]+)*$/ && w ~ /[0-9]/ }
	{
		s = $0; out = ""; n = length(s); i = 1
		while (i <= n) {
			c = substr(s, i, 1)
			if (substr(s, i, 3) == "...") { out = out ".*"; i += 3; continue }
			if (c == " " || c == "\t") {
				while (i <= n && (substr(s, i, 1) == " " || substr(s, i, 1) == "\t")) i++
				out = out "[[:space:]]+"; continue
			}
			if (c ~ /[0-9A-Za-z_]/) {
				# A word (dots inside it too: 12.2.0, 59.5).
				j = i
				while (j <= n && substr(s, j, 1) ~ /[0-9A-Za-z_.]/) j++
				w = substr(s, i, j - i)
				while (w ~ /[.]$/) { w = substr(w, 1, length(w) - 1); j-- }
				if (w ~ /^0x[0-9a-fA-F]+$/)
					w = "0x[0-9a-fA-F]+"
				else if (length(w) >= 2 && hexword(w))
					w = "[0-9a-fA-F]+([.][0-9a-fA-F]+)*"
				else
					gsub(/[.]/, "[.]", w)
				out = out "\\b" w "\\b"     # whole words: 3 is not 13 or 30
				i = j; continue
			}
			if (c == "\\") out = out "\\\\"
			else if (c == "^") out = out "\\^"
			else if (index(".[]()*+?{}|$/", c)) out = out "[" c "]"
			else out = out c
			i++
		}
		print out
	}'
}

# count_prompts: the shell prompts in the console log so far, in
# nprompts: tinysh's "$ ", or busybox ash's "~ # " (the directory, then
# "#" for root), at the start of a line. With builtins only, reading on
# from the fd log_fd as the log grows: a boot is looked at ten times a
# second, and a process per look (on this project's host each costs about
# 3 ms of CPU) made a good part of the pages' jobs. The prompts of whole
# lines are counted in log_prompts; the last line, without its newline
# yet (a prompt waits on one), is kept in log_partial.
prompt_re='^(\$|[^ ]* #) '
count_prompts() {
	local line
	while IFS= read -r -u "$log_fd" line; do
		line=$log_partial${line//$'\r'/}
		log_partial=
		[[ $line =~ $prompt_re ]] && log_prompts=$((log_prompts + 1))
	done
	log_partial+=${line//$'\r'/}         # what read got of a line without its newline
	nprompts=$log_prompts
	[[ $log_partial =~ $prompt_re ]] && nprompts=$((nprompts + 1))
	return 0
}

# boot CMD LOG TYPED: runs CMD with a console fed line by line: each typed
# line when one more prompt has appeared, then Ctrl-D. Returns CMD's status.
# (read -t on a FIFO no one writes to is the 0.1 s sleep: a builtin too.)
boot() {
	local cmd=$1 log=$2 typed=$3 fifo fd tick pid status sent=0 line
	local log_fd log_prompts=0 log_partial= nprompts=0
	local -a lines=()
	fifo=$(mktemp -u "${TMPDIR:-/tmp}/pagoda-doc.XXXXXX")
	mkfifo "$fifo" "$fifo.tick" || return 1
	: > "$log"
	timeout -k 5 "$CMD_TIMEOUT" bash -c "$cmd" < "$fifo" > "$log" 2>&1 &
	pid=$!
	exec {fd}> "$fifo" {tick}<> "$fifo.tick" {log_fd}< "$log"
	rm -f "$fifo" "$fifo.tick"
	[ -n "$typed" ] && mapfile -t lines <<< "$typed"
	lines+=($'\004')
	for line in "${lines[@]}"; do
		while kill -0 "$pid" 2>/dev/null && count_prompts && (( nprompts <= sent )); do
			read -r -t 0.1 -u "$tick"
		done
		kill -0 "$pid" 2>/dev/null || break
		if [ "$line" = $'\004' ]; then
			(trap '' PIPE; printf '\004' >&"$fd") 2>/dev/null
		else
			(trap '' PIPE; printf '%s\n' "$line" >&"$fd") 2>/dev/null
		fi
		sent=$((sent + 1))
	done
	wait "$pid"
	status=$?
	exec {fd}>&- {tick}>&- {log_fd}<&-
	return $status
}

# The status init exits with, as the page shows it (0 if it does not say).
init_status() {
	local out=$1 typed=$2 s=""
	s=$(printf '%s\n' "$out" | sed -n 's/.*init exited with status \([0-9]*\).*/\1/p; s/^make: \*\*\* .* Error \([0-9]*\)$/\1/p' | tail -n 1)
	if [ -z "$s" ] && [ -n "$typed" ]; then
		s=$(printf '%s\n' "$typed" | tail -n 1 | sed -n 's/^exit[[:space:]]\{1,\}\([0-9]\{1,\}\)[[:space:]]*$/\1/p')
	fi
	echo "${s:-0}"
}

# run_command FILE LINE SKIP CMD TYPED OUTPUT
run_command() {
	local file=$1 lineno=$2 skip=$3 cmd=$4 typed=$5 output=$6
	local stem name log status want s line re missing=""
	stem=$(basename "$file" .md)
	[[ $file == */docs/labs/README.md ]] && stem=labs-README     # not the top README.md
	name=$(slug "$cmd")
	while [[ " ${used_names[*]-} " == *" $stem/$name "* ]]; do
		name=$name-$lineno
	done
	used_names+=("$stem/$name")
	name=doc/$stem/$name
	if [ -n "$skip" ]; then
		echo "skip $name: $skip"
		skipped=$((skipped + 1))
		return
	fi
	# Never by accident: the suite itself, ten minutes of benchmarks, a GDB prompt.
	if [[ $cmd =~ (^|[^A-Za-z_])make\ (test|bench|debug)([^A-Za-z_]|$) ]]; then
		fail "$name" "$file:$lineno: make ${BASH_REMATCH[2]} must be marked <!-- not run in tests: why -->"
		return
	fi
	log=$LOGS/$stem-${name##*/}.log
	local start=$EPOCHREALTIME
	if [[ $cmd == *"make run"* || $cmd == *tools/qemu.sh* ]]; then
		boot "$cmd" "$log" "$typed"
	else
		timeout -k 5 "$CMD_TIMEOUT" bash -c "$cmd" < /dev/null > "$log" 2>&1
	fi
	status=$?
	# Each command's seconds, to find what makes the pages' jobs long (sort -rn it).
	awk -v a="$start" -v b="$EPOCHREALTIME" -v n="$name" 'BEGIN { printf "%.1f %s\n", b - a, n }' \
		>> "$LOGS/times.txt"
	s=$(init_status "$output" "$typed")
	want=0
	if [[ $cmd =~ ^make\ run ]]; then
		[ "$s" = 0 ] || want=2
	elif [[ $cmd =~ ^([A-Za-z_][A-Za-z0-9_]*=(\"[^\"]*\"|\'[^\']*\'|[^\ ]*)\ +)*tools/qemu\.sh(\ [^\;\&\|]*)?$ ]]; then
		want=$s
	fi
	if [ "$status" != "$want" ]; then
		fail "$name" "$file:$lineno: exit status $status, expected $want" "$log"
		return
	fi
	# The console's lines end in \r\n. (Files, not pipes, for grep -q: with
	# pipefail, the writer of a pipe grep -q left early fails with SIGPIPE.)
	tr -d '\r' < "$log" > "$log.txt"
	local -a expected=() regexes=()
	[ -n "$output" ] && mapfile -t expected <<< "$output" &&
		mapfile -t regexes < <(printf '%s\n' "$output" | line_regexes)
	local i
	for i in "${!expected[@]}"; do
		if ! grep -qE -- "${regexes[i]}" "$log.txt"; then
			missing=${expected[i]}
			break
		fi
	done
	if [ -n "$missing" ]; then
		fail "$name" "$file:$lineno: missing in the output: '$missing'" "$log"
		return
	fi
	# A typed command that failed ("[exit 2]", "[6 killed by signal 9 (SIGKILL)]")
	# must be one the page shows failing.
	local report shown
	while IFS= read -r report; do
		shown=no
		for re in "${regexes[@]}"; do
			[[ $report =~ $re ]] && shown=yes && break
		done
		if [ $shown = no ]; then
			fail "$name" "$file:$lineno: a typed command failed and the page does not show it: '$report'" "$log"
			return
		fi
	done < <([ -n "$typed" ] &&
		 grep -E '^\[([0-9]+ )?(exit [0-9]+|killed by signal [0-9]+.*)\]$' "$log.txt")
	pass "$name"
}

# run_doc FILE: every command of one page, in order.
run_doc() {
	local file=$1 kind rest lineno skip cmd
	local -a c_line=() c_skip=() c_cmd=() c_typed=() c_intyped=() c_out=()
	local n=-1
	while IFS=$'\037' read -r kind rest; do
		case $kind in
		C)
			n=$((n + 1))
			IFS=$'\037' read -r lineno skip cmd <<< "$rest"
			c_line[n]=$lineno c_skip[n]=$skip c_cmd[n]=$cmd
			c_typed[n]="" c_intyped[n]="" c_out[n]=""
			;;
		T) [ $n -ge 0 ] && c_typed[n]+=${c_typed[n]:+$'\n'}$rest ;;
		I) [ $n -ge 0 ] && c_intyped[n]+=${c_intyped[n]:+$'\n'}$rest ;;
		O) [ $n -ge 0 ] && c_out[n]+=${c_out[n]:+$'\n'}$rest ;;
		esac
	done < <(parse_doc "$file")
	for ((i = 0; i <= n; i++)); do
		run_command "$file" "${c_line[i]}" "${c_skip[i]}" "${c_cmd[i]}" \
			"${c_typed[i]:-${c_intyped[i]}}" "${c_out[i]}"
	done
}

used_names=()
[ ${#docs[@]} -gt 0 ] || docs=(README.md docs/*.md $(ls docs/labs/*.md 2>/dev/null))
for f in "${docs[@]}"; do
	run_doc "$f"
done
echo "$passed passed, $failed failed, $skipped skipped ($((SECONDS - start)) s)"
[ "$failed" = 0 ]
