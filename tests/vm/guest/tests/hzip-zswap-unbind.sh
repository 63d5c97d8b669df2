# SPDX-License-Identifier: GPL-2.0
# needs: model
# Unbind under a real consumer: zswap compresses through hisi-deflate-acomp
# (as in hzip-zswap) while a writer in a 16 MiB memory cgroup fills 48 MiB
# of tmpfs; the PF is unbound in the middle of it, with zswap requests in
# flight. zswap keeps its transforms, which go on in software: the pages
# the engine compressed are read back (decompressed in software) intact,
# nothing oopses (zswap BUGs on a failed decompression), and after rebind
# the device works again.
set -e
. hzip-testlib
hzip_find_pf
drv=/sys/bus/pci/drivers/hisi_zip

cleanup() {
	[ -e $drv/$bdf ] || echo $bdf >$drv/bind 2>/dev/null || true
	hzip_zswap_stop
}
trap cleanup EXIT

hzip_zswap_start

c0=$(hzip_acomp_sum "compress requests")
pat="WarpDrive zswap unbind pattern 0123456789"
len=50331648
sh -c "echo \$\$ >/sys/fs/cgroup/wdz/cgroup.procs; yes '$pat' | head -c $len >/tmp/wdz/data" &
writer=$!
# Unbind once the engine has compressed a good part of it.
i=0
while [ "$(hzip_acomp_sum "compress requests")" -lt $((c0 + 500)) ] && [ $i -lt 600 ]; do
	kill -0 $writer 2>/dev/null || break
	sleep 0.1; i=$((i + 1))
done
c1=$(hzip_acomp_sum "compress requests")
[ "$c1" -ge $((c0 + 500)) ] || { echo "zswap did not reach hisi_zip ($c0 -> $c1)"; exit 1; }
echo "unbinding after $((c1 - c0)) compress requests"
echo $bdf >$drv/unbind
wait $writer
echo "wrote $(wc -c </tmp/wdz/data) bytes, zswap stored_pages $(cat /sys/kernel/debug/zswap/stored_pages)"
got=$(sh -c "echo \$\$ >/sys/fs/cgroup/wdz/cgroup.procs; md5sum </tmp/wdz/data")
want=$(yes "$pat" | head -c $len | md5sum)
[ "$got" = "$want" ] || { echo "data differs: $got vs $want"; exit 1; }
dmesg | grep -q "hisi_zip $bdf: acomp: [1-9][0-9]* of [0-9]* transforms outliving the device continue in software" ||
	{ echo "zswap's transforms got no software fallback"; dmesg | grep acomp; exit 1; }
echo $bdf >$drv/bind
[ -e $drv/$bdf ] || { echo "rebind failed"; exit 1; }
[ "$(cat $dir/selftest)" = passed ] || exit 1
echo "data intact across the unbind"
