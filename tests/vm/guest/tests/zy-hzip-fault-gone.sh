# SPDX-License-Identifier: GPL-2.0
# needs: model
# timeout: 300
# The first PF disappears (wd-model drop 0: its model closes QEMU's
# vfio-user socket; BAR and config space then read all ones, as after a
# surprise removal, and QEMU never reconnects, so this runs after every
# other device test). With a kernel crypto request and a user queue's
# request in flight on a hung engine:
#  - the kernel round trip in flight completes in software with the right
#    data (the QM finds the function gone within a second, or at the
#    request's timeout, and the transform gets its software deflate: zswap
#    must never see a failed decompression), so do the next one and one on
#    a new transform (made while the only device is gone); debugfs counts
#    the request done in software;
#  - the process sleeping in SDMDEV_WAIT gets ENODEV, and again at once,
#    and closes its instance;
#  - unbind completes without waiting for hardware, writes no register
#    of the gone function, leaves no vectors and a bind attempt fails
#    cleanly;
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
rm -f $kout
sdm_start $out waiting sdmdev-open "$U1" gone
upid=$BG
# A kernel round trip in flight on the hung engine (its compression): the
# write returns when it is done. Its result is what the debugfs file says
# afterwards. The software deflate's answers to a too-small output differ
# from ours on some kernels, so the write's status is not the check; the
# round trip's "same" (decompressed data compared with the input) is.
(if echo "rt deflate 4096" >$t; then echo "rc 0"; else echo "rc 1"; fi >$kout) &
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
rt_ok() {
	grep -qE "^rt hisi-deflate-acomp 4096 -> [0-9]+ \([0-9]+ us\) -> 4096 \([0-9]+ us\) same;" $t
}
rt_ok || { echo "the round trip in flight did not complete with the right data"; exit 1; }
grep -qE "corrupt -[0-9]+;" $t || { echo "corrupt input decompressed without an error"; exit 1; }
echo "kernel request in flight done in software after $((t1 - t0)) s"
cat "$dir/acomp"
grep -q "^in flight when gone, done in software: [1-9]" "$dir/acomp" || exit 1

rc=0
wait $upid || rc=$?
cat $out
[ $rc -eq 0 ] || { echo "sdmdev-open gone failed ($rc)"; exit 1; }
grep -q "^wait: No such device" $out || exit 1

grep -q "^function: gone" "$dir/status" || { cat "$dir/status"; exit 1; }
# Incompressible input only page-sized: the kernel's software deflate may
# need more room than our output bound for large random input (64 KiB
# random fails with -EINVAL on 6.12), as it did after an unbind before.
for arg in "4096 random" 65536; do
	size=${arg% *}
	echo "rt deflate $arg" >$t || true
	cat $t
	grep -qE "^rt hisi-deflate-acomp $size -> [0-9]+ \([0-9]+ us\) -> $size \([0-9]+ us\) same;" $t ||
		{ echo "a later request on the gone function's transform failed"; exit 1; }
done
echo "drop" >$t
echo "rt deflate 4096" >$t || true
cat $t
rt_ok || { echo "a new transform while the only device is gone failed"; exit 1; }
# zlib-deflate: in software where the kernel has a software zlib-deflate;
# where it has none (6.12 has none loadable, 7.3 none at all) a new
# transform cannot be made (-ENODEV), and none is offered on 7.3.
if grep -q "hisi-zlib-deflate-acomp" /proc/crypto; then
	echo "rt zlib-deflate 4096" >$t || true
	cat $t
	if grep -A1 "^name *: zlib-deflate$" /proc/crypto | grep -q "^driver *: zlib-deflate-"; then
		grep -qE "^rt hisi-zlib-deflate-acomp 4096 -> [0-9]+ \([0-9]+ us\) -> 4096 \([0-9]+ us\) same;" $t ||
			{ echo "zlib-deflate on a new transform failed"; exit 1; }
	else
		grep -q "^hisi-zlib-deflate-acomp: no transform: -19$" $t ||
			{ echo "zlib-deflate without a software implementation: want -ENODEV"; exit 1; }
		echo "no software zlib-deflate on this kernel: -ENODEV, as documented"
	fi
fi
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
