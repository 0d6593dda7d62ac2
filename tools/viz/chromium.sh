# tools/viz/chromium.sh - sourced: chromium_run ARGS..., headless Chromium
# (Debian's chromium) with a profile of its own, so that runs at once do
# not share one, and --no-sandbox, since the tests run as root. Its
# stderr carries the page's console messages (--enable-logging=stderr):
# lines with "CONSOLE" (tests/viz.sh fails on any).
chromium_run() {
	local profile status
	profile=$(mktemp -d "${TMPDIR:-/tmp}/viz-chromium.XXXXXX")
	timeout 60 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
	status=$?
	rm -rf "$profile"
	return $status
}

# page_url PAGE SNAPSHOT: the file:// address of PAGE showing that snapshot.
page_url() {
	echo "file://$(cd "$(dirname "$1")" && pwd)/$(basename "$1")#t=$2"
}
