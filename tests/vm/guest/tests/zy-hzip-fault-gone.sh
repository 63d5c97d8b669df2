# SPDX-License-Identifier: GPL-2.0
# needs: model
# timeout: 300
# The first PF disappears (wd-model drop 0: its model closes QEMU's
# vfio-user socket; BAR and config space then read all ones, as after a
# surprise removal, and QEMU never reconnects, so this runs after every
# other device test). With a kernel crypto request and a user queue's
# request in flight on a hung engine:
#  - the kernel request fails with -ENODEV (the QM finds the function gone
#    within a second, or at the request's timeout), so does the next one
#    at once, and a new transform cannot start (-ENODEV);
#  - the process sleeping in SDMDEV_WAIT gets ENODEV, and again at once,
#    and closes its instance;
#  - unbind completes without waiting for hardware, leaves no vectors and
#    a bind attempt fails cleanly;
# no hang, no oops (the bench's kernel-log check covers WARN/BUG/hung task);
# zz-modules-unload then unloads both modules.
set -e
. hzip-testlib
. sdmdev-testlib
hzip_find_pf
sdm_find_parent
[ "$BDF" = "$bdf" ] || { echo "PF $bdf, sdmdev parent $BDF"; exit 1; }
t=$dir/acomp_test
out=/tmp/gone-user.out
kout=/tmp/gone-kernel.out
others=""
trap 'wd-model release >/dev/null 2>&1 || true; echo drop >$t 2>/dev/null || true; hzip_rebind_others 2>/dev/null || true' EXIT
# The first model's PF alone, so that the transforms land on it.
hzip_only_pf

echo "hold deflate" >$t
echo "rt deflate 4096" >$t || { cat $t; exit 1; }
sdm_create "$U1"

wd-model hang
rm -f $out $kout
sdmdev-open "$U1" gone >$out 2>&1 &
upid=$!
i=0
while ! grep -q '^waiting' $out 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 $upid 2>/dev/null; then
		echo "no 'waiting' from sdmdev-open:"; cat $out; exit 1
	fi
	sleep 0.1
done
# A kernel request in flight on the hung engine: the write returns when it
# completes or fails. Its status is what the debugfs file says afterwards.
(if echo "comp deflate 4096" >$t; then echo "rc 0"; else echo "rc 1"; fi >$kout) &
kpid=$!
# In flight once a kernel compress queue has sent more than it completed.
i=0
while ! awk '$2 == "kernel" && $3 == "compress" && $5 > $6 { f = 1 } END { exit !f }' \
	"$dir/queues"; do
	i=$((i + 1))
	if [ $i -gt 300 ]; then echo "no kernel request in flight:"; cat "$dir/queues"; exit 1; fi
	sleep 0.1
done

t0=$(date +%s)
wd-model drop 0
wait $kpid || true
t1=$(date +%s)
cat $kout $t
grep -q "^rc 1" $kout || { echo "request on a gone function succeeded"; exit 1; }
grep -q ": -19$" $t || { echo "want -ENODEV for the request in flight"; exit 1; }
echo "kernel request failed after $((t1 - t0)) s"

rc=0
wait $upid || rc=$?
cat $out
[ $rc -eq 0 ] || { echo "sdmdev-open gone failed ($rc)"; exit 1; }
grep -q "^wait: No such device" $out || exit 1

grep -q "^function: gone" "$dir/status" || { cat "$dir/status"; exit 1; }
if echo "comp deflate 4096" >$t; then echo "second request succeeded"; exit 1; fi
cat $t
grep -q ": -19$" $t || { echo "want -ENODEV once the queue is gone"; exit 1; }
echo "drop" >$t
if echo "comp deflate 4096" >$t; then echo "new transform on a gone function worked"; exit 1; fi
cat $t
grep -qE "(no transform: -19|: -19)$" $t || exit 1
dmesg | grep "hisi_zip $bdf" | tail -n 12

t0=$(date +%s)
echo "$bdf" >/sys/bus/pci/drivers/hisi_zip/unbind
t1=$(date +%s)
echo "unbind took $((t1 - t0)) s"
[ ! -e "/sys/bus/pci/drivers/hisi_zip/$bdf" ] || { echo "still bound"; exit 1; }
[ ! -e "/sys/bus/sdmdev/devices/$U1" ] || { echo "instance left after unbind"; exit 1; }
if grep -q hisi_zip /proc/interrupts; then echo "vectors left after unbind"; exit 1; fi
if echo "$bdf" >/sys/bus/pci/drivers/hisi_zip/bind 2>/dev/null; then
	echo "bind of a gone function succeeded"; exit 1
fi
[ ! -e "/sys/bus/pci/drivers/hisi_zip/$bdf" ] || { echo "bound after a failed bind"; exit 1; }
if grep -q hisi_zip /proc/interrupts; then echo "vectors left after the failed bind"; exit 1; fi
dmesg | grep "hisi_zip $bdf" | tail -n 4
echo "gone function handled"
