#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# wd-zip when things go wrong: a full disk (a 64 KiB tmpfs in a private
# mount namespace: as root with unshare -m, otherwise in a user namespace
# with unshare -rm) and permission denied (as nobody when run as root).
# In every case: exit status 1, a message naming the file and the cause,
# the input untouched, and no output or temp file left behind.
. "${srcdir:-.}/wd-zip-lib.sh"

gen_random 100000 > random
gen_text 2000000 > text
head -c 1000000 /dev/zero | gzip -c > text.gz

# --- full disk ---------------------------------------------------------
cat > inner.sh <<'INNER'
set -u
cd "$1" || exit 1
mkdir mnt
mount -t tmpfs -o size=64k tmpfs mnt || { echo "MOUNT-FAILED"; exit 1; }
# In place: 100 KB of random data cannot fit in 64 KiB compressed.
head -c 40000 random > mnt/r
"$Z" mnt/r 2> err.1; echo "rc1=$?"
ls -A mnt > ls.1
cmp -s mnt/r random.40k && echo "input1=intact"
# -d: a 1 KB .gz whose 1 MB of data cannot fit.
rm -f mnt/*
cp text.gz mnt/
"$Z" -d mnt/text.gz 2> err.2; echo "rc2=$?"
ls -A mnt > ls.2
cmp -s mnt/text.gz text.gz && echo "input2=intact"
# -c to a file on the full disk.
rm -f mnt/*
"$Z" -c random > mnt/out.gz 2> err.3; echo "rc3=$?"
umount mnt
INNER
head -c 40000 random > random.40k
if [ "$(id -u)" -eq 0 ]; then
	ns="unshare -m"
else
	ns="unshare -rm"
fi
Z=$Z $ns sh inner.sh "$T" > inner.out 2> inner.err
grep -q MOUNT-FAILED inner.out &&
	fail "cannot mount a tmpfs in a private namespace ($ns): $(cat inner.err)"
grep -q '^rc1=1$' inner.out || fail "full disk, compress in place: $(cat inner.out)"
grep -q '^input1=intact$' inner.out || fail "full disk: input changed"
[ ! -s ls.1 ] || [ "$(cat ls.1)" = r ] || fail "full disk: left behind: $(cat ls.1)"
grep -q '^wd-zip: mnt/r.gz: write error: No space left on device$' err.1 ||
	fail "full disk message: $(cat err.1)"
grep -q '^rc2=1$' inner.out || fail "full disk, decompress: $(cat inner.out)"
grep -q '^input2=intact$' inner.out || fail "full disk -d: input changed"
[ "$(cat ls.2)" = text.gz ] || fail "full disk -d: left behind: $(cat ls.2)"
grep -q 'mnt/text: write error: No space left on device' err.2 ||
	fail "full disk -d message: $(cat err.2)"
grep -q '^rc3=1$' inner.out || fail "full disk, -c: $(cat inner.out)"
grep -q 'stdout: write error: No space left on device' err.3 ||
	fail "full disk -c message: $(cat err.3)"
ok

# --- permission denied -------------------------------------------------
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
chmod 755 "$T"
mkdir ro rw
cp text ro/f
cp text rw/secret
chmod 644 ro/f
chmod 555 ro
chmod 777 rw
chmod 000 rw/secret
as_user "$Z" ro/f 2> err; rc=$?
[ $rc -eq 1 ] || fail "read-only directory: exit $rc"
grep -q '^wd-zip: ro/f.gz: Permission denied$' err || fail "read-only directory message: $(cat err)"
[ "$(ls -A ro)" = f ] && cmp -s ro/f text || fail "read-only directory: files changed: $(ls -A ro)"
as_user "$Z" rw/secret 2> err; rc=$?
[ $rc -eq 1 ] || fail "unreadable input: exit $rc"
grep -q '^wd-zip: rw/secret: Permission denied$' err || fail "unreadable input message: $(cat err)"
[ "$(ls -A rw)" = secret ] || fail "unreadable input: left behind $(ls -A rw)"
ok
# An error on one file does not stop the others; exit 1 at the end.
cp text rw/other && chmod 666 rw/other
as_user "$Z" rw/secret rw/other 2> err; rc=$?
[ $rc -eq 1 ] && [ -f rw/other.gz ] && [ ! -f rw/other ] ||
	fail "after an error the next file was not compressed (exit $rc, $(ls rw))"
chmod 755 ro
ok
finish
