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
. hzip-testlib
hzip_find_pf
trap hzip_zswap_stop EXIT
trap 'hzip_zswap_stop; exit 1' TERM INT
hzip_zswap_start
dmesg | grep zswap | tail -n 3

c0=$(hzip_acomp_sum "compress requests")
d0=$(hzip_acomp_sum "decompress requests")
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
c1=$(hzip_acomp_sum "compress requests")
d1=$(hzip_acomp_sum "decompress requests")
echo "hisi_zip acomp: compress $c0 -> $c1, decompress $d0 -> $d1"
grep -r . /sys/kernel/debug/zswap | sed 's|/sys/kernel/debug/zswap/||' | tr '\n' ' '; echo
[ "$c1" -gt "$c0" ] || { echo "no compress request reached hisi_zip"; exit 1; }
[ "$d1" -gt "$d0" ] || { echo "no decompress request reached hisi_zip"; exit 1; }
hzip_zswap_stop
trap - EXIT
# The pool's transforms go away asynchronously; the module must become free.
i=0
while [ "$(awk '$1 == "hisi_zip" { print $3 }' /proc/modules)" != 0 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
awk '$1 == "hisi_zip"' /proc/modules
[ "$(awk '$1 == "hisi_zip" { print $3 }' /proc/modules)" = 0 ] || { echo "hisi_zip still in use"; exit 1; }
