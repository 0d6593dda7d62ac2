# tests/viz.sh - the picture of memory over time in make test (sourced by
# tests/run): `make viz`'s steps (tools/viz/run.sh) with the default swap
# workload; its snapshots must add up and agree with the kernel's console;
# then Debian's Chromium, headless, loads the page: no console message at
# all (the page logs nothing, so any is an error), the page shows the
# numbers of the snapshot its address names, every cell of the frame map
# has its frame's colour, and the map differs between the first and the
# last snapshot. The live page (make run VIZ=live) served from the run's
# snapshots must fetch them all and show the last. /proc/memsnap is checked
# against /proc/vmstat in a boot of its own. The checks themselves: tests/viz_check.py.
. tools/viz/chromium.sh

viz_jobs() {
	job viz/make_viz_writes_the_page viz/snapshots_agree_with_the_console \
		viz/page_has_no_console_errors viz/page_shows_the_snapshot \
		viz/slider_changes_the_frame_map viz/readme_picture viz/live_page_follows_the_snapshots \
		-- viz_page_test
	job viz/proc_memsnap_equals_proc_vmstat -- viz_proc_test
}

# viz_load NAME AT [nodom]: a screenshot of the page at snapshot AT and,
# unless nodom, Chromium's DOM of it ($dir/NAME.png, NAME.html). Their
# console messages go to $dir/chromium.log.
viz_load() {
	local name=$1 at=$2 url status=0
	url=$(page_url "$dir/index.html" "$at")
	if [ "${3:-}" != nodom ]; then
		chromium_run --dump-dom "$url" > "$dir/$name.html" 2>> "$dir/chromium.log" &&
			[ -s "$dir/$name.html" ] || status=1
	fi
	chromium_run --window-size=1280,1000 --screenshot="$dir/$name.png" "$url" 2>> "$dir/chromium.log"
	[ $status = 0 ] && [ -s "$dir/$name.png" ]
}

viz_page_test() {
	local dir=$LOGS/viz status mid
	rm -rf "$dir"
	mkdir -p "$dir"
	# make viz's defaults, whatever make test's environment says (its MEM is 128M).
	MEM=21M VIZ_WORKLOAD="seqtouch 38" VIZ_EVERY=50ms VIZ_OUT=$dir SNAPSHOT=1 TIMEOUT=$BOOT_TIMEOUT \
		tools/viz/run.sh > "$dir/run.log" 2>&1
	status=$?
	if [ $status != 0 ] || ! [ -s "$dir/index.html" ]; then
		fail viz/make_viz_writes_the_page "tools/viz/run.sh exited with $status" "$dir/run.log"
		return
	fi
	pass viz/make_viz_writes_the_page
	grep '^memviz: ' "$dir/run.log" | sed 's/^/    /'
	viz_check viz/snapshots_agree_with_the_console snapshots "$dir/snapshots.txt" "$dir/console.log"

	mid=$(( $(grep -c '^{' "$dir/snapshots.txt") / 2 ))
	if ! viz_load first 0 nodom || ! viz_load mid "$mid" || ! viz_load last last; then
		fail viz/page_has_no_console_errors "chromium did not load the page" "$dir/chromium.log"
		return
	fi
	if grep -q 'CONSOLE' "$dir/chromium.log"; then
		fail viz/page_has_no_console_errors "the page logged to its console:"
		grep 'CONSOLE' "$dir/chromium.log" | head -5 | sed 's/^/    | /'
	else
		pass viz/page_has_no_console_errors
	fi
	if viz_check "" page "$dir/mid.html" "$dir/snapshots.txt" "$mid" "$dir/mid.png" &&
	   viz_check "" page "$dir/last.html" "$dir/snapshots.txt" last "$dir/last.png"; then
		pass viz/page_shows_the_snapshot
	fi
	viz_check viz/slider_changes_the_frame_map differ "$dir/first.png" "$dir/last.png" "$dir/last.html"
	# README's picture is made by `make viz-screenshot`, not here (it would change at every
	# run); here: it is there, a PNG, and the README shows it.
	if [ "$(head -c 8 docs/memory-viz.png 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
	   grep -q '(docs/memory-viz.png)' README.md; then
		pass viz/readme_picture
	else
		fail viz/readme_picture "docs/memory-viz.png is not a PNG, or README.md does not show it"
	fi
	viz_live_test "$dir"
}

# The live server (tools/viz/live.py) on the run's snapshots, as if QEMU had
# just written them: Chromium, its timers run for 3 s of virtual time, must
# end up showing the last one, without a console message.
viz_live_test() {
	local dir=$1 port=$((20000 + RANDOM % 20000)) server last shown
	tools/viz/live.py "$dir/snapshots.txt" $port 2> "$dir/live-server.log" &
	server=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
		sleep 0.2
	done
	chromium_run --virtual-time-budget=3000 --dump-dom "http://127.0.0.1:$port/" \
		> "$dir/live.html" 2> "$dir/live.log"
	kill $server 2>/dev/null
	wait $server 2>/dev/null
	last=$(( $(grep -c '^{' "$dir/snapshots.txt") - 1 ))
	shown=$(grep -o 'data-shown="[0-9]*"' "$dir/live.html" | tr -dc '0-9')
	if grep -q CONSOLE "$dir/live.log"; then
		fail viz/live_page_follows_the_snapshots "the live page logged to its console" "$dir/live.log"
	elif [ "$shown" != "$last" ]; then
		fail viz/live_page_follows_the_snapshots "it shows snapshot '${shown}', not the last, $last" \
			"$dir/live-server.log"
	else
		pass viz/live_page_follows_the_snapshots
	fi
}

# viz_check NAME CHECK ARGS...: tests/viz_check.py CHECK ARGS; passes NAME
# (if not empty) when it says ok, else fails NAME with what it printed.
viz_check() {
	local name=$1 out
	shift
	if out=$(python3 tests/viz_check.py "$@" 2>&1); then
		[ -z "$name" ] || pass "$name"
		echo "    $out"
		return 0
	fi
	fail "${name:-viz/page_shows_the_snapshot}" "$out"
	return 1
}

# /proc/memsnap read between two equal readings of /proc/vmstat (memsnap -v).
viz_proc_test() {
	local status
	MEM=32M boot viz-proc "init=/bin/memsnap -v"
	status=$?
	if [ $status != 0 ]; then
		fail viz/proc_memsnap_equals_proc_vmstat "memsnap -v exited with $status" "$LOGS/viz-proc.log"
	else
		viz_check viz/proc_memsnap_equals_proc_vmstat vmstat "$LOGS/viz-proc.log"
	fi
}
