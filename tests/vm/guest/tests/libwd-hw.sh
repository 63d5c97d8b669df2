# SPDX-License-Identifier: GPL-2.0
# needs: model
# libwd's hardware path on hisi_zip through the model: discovery, every
# format both ways from 0 B to 64 MiB checked with zlib (one-shot and
# streaming), 10,000 requests with no system call (seccomp kills on any
# but exit), and a second process while the first holds the device. libwd
# creates the instances it needs as root and removes them again.
set -e
. sdmdev-testlib
sdm_find_parent
D=/sys/kernel/debug/hisi_zip/$BDF/status
# Against where the count stood: earlier tests (sdmdev-ras) inject errors.
abn0=$(sed -n 's/^abnormal errors: //p' "$D")
[ -n "$abn0" ] || { echo "no abnormal error count in $D"; exit 1; }
wd-hwtest list | tee /tmp/hw-list
grep -q "^$BDF driver=hisi_zip api=hisi_qm_v2 " /tmp/hw-list
wd-hwtest formats 64
wd-hwtest seccomp 10000
# a second process while the first compresses: the parent's instances
# belong to one process at a time (docs/sdmdev.md), so with one function
# the second one is refused the hardware and wd-zip's auto falls back
wd-hwtest hold 8 >/tmp/hw-hold.out 2>&1 &
H=$!
i=0
while ! grep -q '^holding' /tmp/hw-hold.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 200 ] && kill -0 $H 2>/dev/null || { cat /tmp/hw-hold.out; exit 1; }
	sleep 0.1
done
n=$(ls /sys/class/sdmdev | wc -l)
if [ "$n" -ge 2 ]; then
	wd-hwtest formats 1
else
	rc=0
	wd-hwtest formats 1 >/tmp/hw-second.out 2>&1 || rc=$?
	[ $rc -ne 0 ] && grep -q "resource temporarily unavailable" /tmp/hw-second.out ||
		{ echo "second process: rc $rc"; cat /tmp/hw-second.out; exit 1; }
	echo "second process refused the hardware while the first holds it"
fi
wait $H || { cat /tmp/hw-hold.out; exit 1; }
cat /tmp/hw-hold.out
# every instance libwd created is gone, every queue given back
[ -z "$(ls /sys/bus/sdmdev/devices)" ] || { ls /sys/bus/sdmdev/devices; exit 1; }
sdm_queues_idle
[ "$(sed -n 's/^abnormal errors: //p' "$D")" = "$abn0" ] ||
	{ echo "abnormal errors: $abn0 before"; cat "$D"; exit 1; }
echo "libwd hardware path ok"
