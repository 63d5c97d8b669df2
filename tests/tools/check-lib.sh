# SPDX-License-Identifier: GPL-2.0
# The bookkeeping every tests/tools script shares: sourced, not run.
#
# Sets T to a fresh temp directory (removed on exit, along with what the
# script lists in CLEANUP_PIDS) and counts checks and failures; finish
# prints the count and exits 0 only without failures.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/wd-tools-test.XXXXXX")
CLEANUP_PIDS=""
trap '[ -n "$CLEANUP_PIDS" ] && kill $CLEANUP_PIDS 2>/dev/null; rm -rf "$T"' EXIT
failures=0
checks=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

ok() {
	checks=$((checks + 1))
}

# need CMD...: each command must exist, or the test fails (never skips).
need() {
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "FAIL: $t is needed by this test"; exit 1; }
	done
}

# finish [NAME]: the summary line, and the exit status.
finish() {
	echo "${1:+$1: }$checks checks, $failures failures"
	[ "$failures" -eq 0 ]
	exit $?
}
