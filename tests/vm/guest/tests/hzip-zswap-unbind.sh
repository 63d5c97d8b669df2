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
[ -d /sys/module/zswap ] || { echo "zswap is not built into $(uname -r)"; exit 1; }
[ -b /dev/zram0 ] || { echo "no /dev/zram0 (zram module missing)"; exit 1; }
zp=/sys/module/zswap/parameters
drv=/sys/bus/pci/drivers/hisi_zip

cleanup() {
	[ -e $drv/$bdf ] || echo $bdf >$drv/bind 2>/dev/null || true
	rm -f /tmp/wdz/data
	umount /tmp/wdz 2>/dev/null || true
	swapoff /dev/zram0 2>/dev/null || true
	echo 1 >/sys/block/zram0/reset 2>/dev/null || true
	echo lzo >$zp/compressor 2>/dev/null || true
	echo N >$zp/enabled 2>/dev/null || true
	[ -d /sys/fs/cgroup/wdz ] && rmdir /sys/fs/cgroup/wdz 2>/dev/null || true
}
trap cleanup EXIT

echo deflate >$zp/compressor
echo Y >$zp/enabled
[ "$(cat $zp/compressor)" = deflate ] || { echo "zswap refused deflate"; exit 1; }
echo 256M >/sys/block/zram0/disksize
mkswap /dev/zram0 >/dev/null
swapon /dev/zram0
grep -q " /sys/fs/cgroup " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/wdz
echo 16M >/sys/fs/cgroup/wdz/memory.max
mkdir -p /tmp/wdz
mount -t tmpfs -o size=128M none /tmp/wdz

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
