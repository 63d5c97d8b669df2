#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ^C (and SIGTERM) in the middle of a long job: wd-zip dies of the signal,
# leaves no temp or output file, and the input is untouched.
. "${srcdir:-.}/wd-zip-lib.sh"

# A job that takes seconds both ways: 100 MB of random letters a-p (no
# matches, so deflate and inflate work on every byte).
head -c 100000000 /dev/urandom |
	tr '\000-\377' 'a-pa-pa-pa-pa-pa-pa-pa-pa-pa-pa-pa-pa-pa-pa-pa-p' > big
sum=$(cksum < big)
"$Z" -1 -c big > big2.gz

# A background job of a script ignores SIGINT; start it with the default.
start() {
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$@" &
	pid=$!
}

# interrupt SIG NUMBER PATTERN: wait until the temp file matching PATTERN grows,
# then send SIG and check the result.
interrupt() {
	sig=$1 num=$2 pattern=$3 i=0
	while [ $i -lt 200 ]; do
		for f in $pattern; do
			[ -s "$f" ] && break 2
		done
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 200 ] || fail "no temp file $pattern appeared"
	# Stop it first, so that it cannot finish between the check and the signal.
	kill -STOP $pid
	ls $pattern > /dev/null 2>&1 || fail "the job ended before it could be interrupted"
	kill -$sig $pid
	kill -CONT $pid
	wait $pid
	rc=$?
	[ $rc -eq $((128 + num)) ] || fail "SIG$sig: exit $rc"
	ok
}

start "$Z" -9 -p 1 big
interrupt INT 2 '.big.gz.wdz*'
[ "$(ls -A | grep -c wdz)" -eq 0 ] || fail "SIGINT left $(ls -A | grep wdz)"
[ ! -e big.gz ] || fail "SIGINT left big.gz"
[ "$(cksum < big)" = "$sum" ] || fail "SIGINT: input changed"
ok

start "$Z" -9 -p 2 big
interrupt TERM 15 '.big.gz.wdz*'
[ "$(ls -A | grep -c wdz)" -eq 0 ] || fail "SIGTERM left $(ls -A | grep wdz)"
[ ! -e big.gz ] && [ "$(cksum < big)" = "$sum" ] || fail "SIGTERM: input or output wrong"
ok

start "$Z" -d big2.gz
interrupt INT 2 '.big2.wdz*'
[ "$(ls -A | grep -c wdz)" -eq 0 ] || fail "SIGINT -d left $(ls -A | grep wdz)"
[ ! -e big2 ] && gzip -t big2.gz || fail "SIGINT -d: input or output wrong"
ok

# Progress: a job of more than a second shows it with --progress even
# though stderr is no terminal; without the option it does not.
head -c 50000000 big > mid
"$Z" -c -9 -p 1 --progress mid 2> err > /dev/null || fail "--progress run"
grep -q 'wd-zip: mid: .*%' err || fail "--progress printed nothing: $(od -c err | head -3)"
"$Z" -c -9 -p 1 mid 2> err > /dev/null || fail "run without --progress"
[ ! -s err ] || fail "progress on a non-terminal stderr: $(od -c err | head -3)"
"$Z" -c -1 -p 1 --progress --no-progress mid 2> err > /dev/null
[ ! -s err ] || fail "--no-progress printed something"
ok
finish
