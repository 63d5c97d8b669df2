# SPDX-License-Identifier: GPL-2.0
# wd-zip as built for the guest's architecture (static): a round trip on
# several threads, busybox's gunzip reads its output, and --engine=hw either
# works or fails cleanly (exit 1, a message) while no device serves queues.
set -e
wd-zip --version | grep -q '^wd-zip '
cd /tmp
head -c 1000000 /dev/urandom > r
{ i=0; while [ $i -lt 2000 ]; do echo "line $i of a compressible file"; i=$((i + 1)); done; } > t
cat r t r t > in
cp in in.orig
wd-zip -v -p 3 -b 64 in 2> err
cat err
grep -q 'replaced with in.gz' err
[ ! -e in ] && [ -s in.gz ]
wd-zip -t in.gz
busybox gunzip -c in.gz | cmp - in.orig
wd-zip -d in.gz
cmp in in.orig
rc=0
wd-zip -c --engine=hw t > t.gz 2> err || rc=$?
if [ $rc -eq 0 ]; then
	echo "--engine=hw served"
	wd-zip -dc t.gz | cmp - t
else
	cat err
	[ $rc -eq 1 ] && grep -q '^wd-zip: ' err
	[ ! -s t.gz ] || { echo "hw failure left output"; exit 1; }
fi
rm -f r t in in.orig t.gz err
