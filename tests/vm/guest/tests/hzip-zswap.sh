# SPDX-License-Identifier: GPL-2.0
# needs: model
# A real kernel consumer: zswap compressing with "deflate", which resolves to
# hisi-deflate-acomp (highest priority). Swap is a zram device (no swap files
# on tmpfs). A writer in a memory cgroup capped at 16 MiB puts 48 MiB of a
# repeating pattern into a tmpfs file (shmem pages, charged to the cgroup and
# swapped out through zswap); a reader in the same cgroup checksums it back.
# zswap must have stored pages in between and our counters must show
# compress and decompress requests.
set -e
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug
[ -d /sys/module/zswap ] || { echo "zswap is not built into $(uname -r)"; exit 1; }
[ -b /dev/zram0 ] || { echo "no /dev/zram0 (zram module missing)"; exit 1; }
zp=/sys/module/zswap/parameters

sum() {	# sum of one acomp counter over every ZIP function
	t=0
	for f in /sys/kernel/debug/hisi_zip/*/acomp; do
		v=$(sed -n "s/^$1: //p" "$f")
		t=$((t + ${v:-0}))
	done
	echo $t
}
cleanup() {
	rm -f /tmp/wdz/data
	umount /tmp/wdz 2>/dev/null || true
	swapoff /dev/zram0 2>/dev/null || true
	echo 1 >/sys/block/zram0/reset 2>/dev/null || true
	# Another compressor drops the deflate pool and with it our transforms.
	echo lzo >$zp/compressor 2>/dev/null || true
	echo N >$zp/enabled 2>/dev/null || true
	[ -d /sys/fs/cgroup/wdz ] && rmdir /sys/fs/cgroup/wdz 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 1' TERM INT

old_comp=$(cat $zp/compressor)
echo deflate >$zp/compressor
echo Y >$zp/enabled
[ "$(cat $zp/compressor)" = deflate ] || { echo "zswap refused deflate (was $old_comp)"; dmesg | grep zswap; exit 1; }
dmesg | grep zswap | tail -n 3

echo 256M >/sys/block/zram0/disksize
mkswap /dev/zram0 >/dev/null
swapon /dev/zram0

grep -q " /sys/fs/cgroup " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/wdz
echo 16M >/sys/fs/cgroup/wdz/memory.max
mkdir -p /tmp/wdz
mount -t tmpfs -o size=128M none /tmp/wdz

c0=$(sum "compress requests")
d0=$(sum "decompress requests")
stored=/sys/kernel/debug/zswap/stored_pages
pat="WarpDrive zswap pattern 0123456789abcdef"
len=50331648
sh -c "echo \$\$ >/sys/fs/cgroup/wdz/cgroup.procs; yes '$pat' | head -c $len >/tmp/wdz/data"
st=$(cat $stored)
echo "wrote $(wc -c </tmp/wdz/data) bytes, zswap stored_pages $st"
got=$(sh -c "echo \$\$ >/sys/fs/cgroup/wdz/cgroup.procs; md5sum </tmp/wdz/data")
want=$(yes "$pat" | head -c $len | md5sum)
[ "$got" = "$want" ] || { echo "data differs: $got vs $want"; exit 1; }
[ "${st:-0}" -gt 0 ] || { echo "zswap stored nothing"; grep -r . /sys/kernel/debug/zswap; exit 1; }
c1=$(sum "compress requests")
d1=$(sum "decompress requests")
echo "hisi_zip acomp: compress $c0 -> $c1, decompress $d0 -> $d1"
grep -r . /sys/kernel/debug/zswap | sed 's|/sys/kernel/debug/zswap/||' | tr '\n' ' '; echo
[ "$c1" -gt "$c0" ] || { echo "no compress request reached hisi_zip"; exit 1; }
[ "$d1" -gt "$d0" ] || { echo "no decompress request reached hisi_zip"; exit 1; }
cleanup
trap - EXIT
# The pool's transforms go away asynchronously; the module must become free.
i=0
while [ "$(awk '$1 == "hisi_zip" { print $3 }' /proc/modules)" != 0 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
awk '$1 == "hisi_zip"' /proc/modules
[ "$(awk '$1 == "hisi_zip" { print $3 }' /proc/modules)" = 0 ] || { echo "hisi_zip still in use"; exit 1; }
