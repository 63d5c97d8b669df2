#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ^C (and SIGTERM) in the middle of a long job: wd-zip dies of the signal,
# leaves no temp or output file, and the input is untouched.
. "${srcdir:-.}/wd-zip-lib.sh"

# A job that takes seconds: random data at -9 on one thread.
head -c 150000000 /dev/urandom > big
sum=$(cksum < big)
gzip -1 -c big > big2.gz

# A background job of a script ignores SIGINT; start it with the default.
start() {
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$@" &
	pid=$!
}

# interrupt SIG PATTERN: wait until the temp file matching PATTERN grows,
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
	kill -$sig $pid
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

mv big big2.orig
start "$Z" -d big2.gz
interrupt INT 2 '.big2.wdz*'
[ "$(ls -A | grep -c wdz)" -eq 0 ] || fail "SIGINT -d left $(ls -A | grep wdz)"
[ ! -e big2 ] && gzip -t big2.gz || fail "SIGINT -d: input or output wrong"
ok
finish
