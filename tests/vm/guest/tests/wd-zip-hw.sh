# SPDX-License-Identifier: GPL-2.0
# needs: model
# wd-zip on the ZIP engine (hisi_zip.ko through sdmdev and libwd's hardware
# engine): -v names the hw engine; busybox gzip -d and wd-zip -d (also on
# the hw engine) read the output back; sizes from 0 B to over 1 MiB, levels 1 and 9, stdin to
# stdout; -p 4 spreads one file over four queues on the bench's two
# functions (two instances on each, each opened once) and still writes one
# gzip member; when other processes own both functions, --engine=hw fails
# cleanly and --engine=auto compresses in software and says so.
set -e
. sdmdev-testlib
sdm_find_parent
sdm_find_parent2
# Fault tests before this one may have counted abnormal errors: none may be added.
abn0=$(sed -n 's/^abnormal errors: //p' "/sys/kernel/debug/hisi_zip/$BDF/status")
cd /tmp
rm -rf wdz && mkdir wdz && cd wdz

fail() {
	echo "$*"
	[ -f err ] && cat err
	exit 1
}

# text SIZE: compressible lines, SIZE bytes
text() {
	i=0
	while [ $i -lt 4000 ]; do
		echo "line $i: the queue rings the doorbell and the engine deflates"
		i=$((i + 1))
	done > line.tmp
	while [ "$(wc -c < line.tmp)" -lt "$1" ]; do cat line.tmp line.tmp > l2.tmp; mv l2.tmp line.tmp; done
	head -c "$1" line.tmp
	rm -f line.tmp
}

: > f0
printf x > f1
text 4096 > f4k
{ head -c 700000 /dev/urandom; text 900000; } > f1600k
text 3000000 > f3m

# hw compression, checked by busybox and by wd-zip -d on the hw engine
for f in f0 f1 f4k f1600k; do
	cp $f $f.orig
	wd-zip -v --engine=hw -p 2 $f 2> err || fail "$f: wd-zip --engine=hw failed"
	grep -q "^$f:.* -- replaced with $f.gz \[hw engine, " err || fail "$f: not the hw engine"
	[ ! -e $f ] || fail "$f: input left after compression"
	busybox gzip -dc $f.gz > $f.bb || fail "$f: busybox gzip -d failed"
	cmp $f.bb $f.orig || fail "$f: busybox gzip -d gave other bytes"
	wd-zip -t $f.gz || fail "$f: wd-zip -t failed"
	wd-zip -v -d --engine=hw $f.gz 2> err || fail "$f: wd-zip -d --engine=hw failed"
	cmp $f $f.orig || fail "$f: wd-zip -d gave other bytes"
	grep -q "^$f.gz:.* -- replaced with $f \[hw engine, " err || fail "$f: -d not on the hw engine"
	echo "$f: $(cat err)"
done

# levels, and stdin to stdout
for l in 1 9; do
	wd-zip -$l -c -v --engine=hw f1600k > l$l.gz 2> err || fail "-$l failed"
	grep -q "\[hw engine, " err || fail "-$l: not the hw engine"
	busybox gzip -dc l$l.gz | cmp - f1600k || fail "-$l: busybox reads other bytes"
done
wd-zip -v --engine=hw < f4k > s.gz 2> err || fail "stdin: wd-zip failed"
grep -q "^stdin:.*\[hw engine, " err || fail "stdin: not the hw engine"
busybox gzip -dc s.gz | cmp - f4k || fail "stdin: busybox reads other bytes"

# four queues for one file over both functions: two free instances on
# each, each opened once (libwd spreads a process's queues over functions)
for b in "$BDF" "$BDF2"; do
	for u in $(wd-admin create -n 2 -p "$b" | cut -d' ' -f1); do
		echo "$u" >> uuids
	done
done
[ "$(wc -l < uuids)" -eq 4 ] || fail "wd-admin create -n 2 twice made $(wc -l < uuids)"
wd-zip -v -c -p 4 -b 128 --engine=hw f3m > f3m.gz 2> err || fail "-p 4 failed"
grep -q "\[hw engine, 4 threads, " err || fail "-p 4: not four hw threads"
busybox gzip -dc f3m.gz | cmp - f3m || fail "-p 4: busybox reads other bytes"
# one member: its trailer counts the whole input, not the last block
n=$(wd-zip -l f3m.gz | sed -n '2p' | awk '{print $2}')
[ "$n" = 3000000 ] || fail "-p 4: wd-zip -l says $n bytes"
for u in $(cat uuids); do
	[ "$(cat /sys/bus/sdmdev/devices/$u/opens)" = 1 ] ||
		fail "instance $u opened $(cat /sys/bus/sdmdev/devices/$u/opens) times, want 1"
done
echo "-p 4: every instance of both functions opened once"
wd-admin remove $(cat uuids) || fail "remove after -p 4"
sdm_queues_idle

# other processes own both functions: hw is refused, auto falls back
sdm_create "$U1"
P0=$P P=$P2
sdm_create "$U2"
P=$P0
sdmdev-open "$U2" hold >/tmp/hold2.out 2>&1 &
H2=$!
sdm_hold "$U1"
i=0
while ! grep -q '^holding' /tmp/hold2.out; do
	i=$((i + 1))
	[ $i -le 100 ] && kill -0 $H2 || fail "second holder did not start: $(cat /tmp/hold2.out)"
	sleep 0.1
done
rc=0
wd-zip -c --engine=hw f4k > h.gz 2> err || rc=$?
[ $rc -eq 1 ] || fail "--engine=hw with the function taken exited $rc"
grep -q "^wd-zip: " err || fail "--engine=hw: no message"
cat err
cp f4k g4k
wd-zip -v --engine=auto g4k 2> err || fail "--engine=auto failed"
grep -q "\[sw engine, " err || fail "--engine=auto did not say sw"
cat err
busybox gzip -dc g4k.gz | cmp - f4k || fail "auto fallback: other bytes"
sdm_kill_holder
kill -9 $H2
wait $H2 || true
sdm_remove "$U1"
sdm_remove "$U2"
sdm_queues_idle
grep -qx "abnormal errors: $abn0" "/sys/kernel/debug/hisi_zip/$BDF/status" ||
	fail "engine errors: $(cat "/sys/kernel/debug/hisi_zip/$BDF/status")"
cd /tmp && rm -rf wdz
echo "wd-zip hw ok"
