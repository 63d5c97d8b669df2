# SPDX-License-Identifier: GPL-2.0
# Shared by the wd-zip-*.sh tests: sourced, not run.
#
# WD_ZIP is the program under test (make check sets it). Every test works
# in its own temp directory, removed on exit.
Z=${WD_ZIP:?WD_ZIP must name the wd-zip binary}
[ -x "$Z" ] || { echo "FAIL: $Z is not executable"; exit 1; }
. "${srcdir:-.}/check-lib.sh"
need gzip python3
cd "$T" || exit 1

# expect_rc WANT CMD...: run CMD, check its exit status.
expect_rc() {
	local want=$1 rc
	shift
	"$@"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "'$*' exited $rc, expected $want"
		return 1
	fi
	ok
}

# same_file A B WHAT: A and B have the same bytes.
same_file() {
	if cmp -s "$1" "$2"; then ok; else fail "$3: $1 and $2 differ"; fi
}

# py_gunzip FILE: decompress with Python's gzip module to stdout.
py_gunzip() {
	python3 -c 'import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())' "$1"
}

# Text that compresses well, reproducibly.
gen_text() {
	python3 - "$1" <<'PY'
import random, sys
r = random.Random(42)
words = "the queue doorbell ring engine deflate window block member trailer".split()
out = []
n = 0
while n < int(sys.argv[1]):
    line = " ".join(r.choice(words) for _ in range(r.randint(3, 12))) + "\n"
    out.append(line)
    n += len(line)
sys.stdout.write("".join(out)[:int(sys.argv[1])])
PY
}

# Random bytes, reproducibly.
gen_random() {
	python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(7).randbytes(int(sys.argv[1])))' "$1"
}
