# SPDX-License-Identifier: GPL-2.0
# needs: model iommu
# sdmdev's shared IOMMU domain, behind the bench's virtual IOMMU (VT-d on
# amd64, virtio-iommu on arm64): the ZIP function is in a translating DMA
# domain, hisi_zip's self-test passed there, sdmdev reports an IOVA window
# and no NOIOMMU flag; SDMDEV_MAP_DMA's ABI and accounting (sdmdev-iommu
# abi); a user without group access is refused; 1000 x kill -9 with
# requests in flight leave no pinned page and no queue behind; remove,
# rmmod and unbind with pinned memory and requests in flight; a function
# is either the kernel's (acomp transforms) or user space's, never both.
set -e
. sdmdev-testlib
sdm_find_parent

case $(cat "$PF/iommu_group/type") in
DMA|DMA-FQ) ;;	# strict (arm64's default) or lazy (amd64's) invalidation
*) echo "$BDF not in a translating domain: $(cat "$PF/iommu_group/type")"; exit 1 ;;
esac
dmesg | grep -q "$BDF: selftest passed" || { dmesg | grep hisi_zip; exit 1; }
dmesg | grep -q "$BDF: sdmdev: shared IOMMU domain, user IOVA window" ||
	{ echo "no IOVA window"; dmesg | grep sdmdev; exit 1; }
flags=$(cat "$P/flags")
[ $((flags & 2)) -eq 0 ] || { echo "parent flags $flags include NOIOMMU"; exit 1; }
tainted=$(cat /proc/sys/kernel/tainted)

sdm_create "$U1"
sdm_create "$U2"
sdmdev-iommu abi "$U1" "$U2"
sdmdev-iommu noaccess "$U1"
sdmdev-iommu kill "$U1" 1000
sdm_queues_idle
# No NOIOMMU taint (TAINT_USER, 64) from any of those opens.
[ $(( $(cat /proc/sys/kernel/tainted) & 64 )) -eq $((tainted & 64)) ] ||
	{ echo "an IOMMU-mode open tainted the kernel"; exit 1; }

# remove and rmmod while open with pinned memory: refused, instance usable
# FOLL_PIN pages held system wide (per-CPU counters folded first).
pins() { echo 1 >/proc/sys/vm/stat_refresh; awk '/^nr_foll_pin_acquired/ {a = $2} /^nr_foll_pin_released/ {r = $2} END {print a - r}' /proc/vmstat; }
pins0=$(pins)
sdm_hold -i "$U1"
[ "$(pins)" -gt "$pins0" ] || { echo "holder pinned nothing"; exit 1; }
if echo 1 >"/sys/bus/sdmdev/devices/$U1/remove" 2>/dev/null; then
	echo "remove of an open instance accepted"; exit 1
fi
if rmmod hisi_zip 2>/dev/null; then echo "rmmod hisi_zip with an open queue"; exit 1; fi
sdm_kill_holder
[ "$(pins)" -eq "$pins0" ] || { echo "$(( $(pins) - pins0 )) pages pinned after kill -9"; exit 1; }
sdm_queues_idle

# unbind with an instance open and memory pinned: waits for the holder
sdm_hold -i "$U1"
echo "$BDF" >/sys/bus/pci/drivers/hisi_zip/unbind &
unbind=$!
sleep 1
kill -0 $unbind 2>/dev/null || { echo "unbind did not wait for the open instance"; exit 1; }
sdm_kill_holder
wait $unbind || { echo "unbind failed"; exit 1; }
[ "$(pins)" -eq "$pins0" ] || { echo "pages pinned after unbind"; exit 1; }
[ ! -e "/sys/bus/sdmdev/devices/$U1" ] || { echo "instance outlived unbind"; exit 1; }
echo "$BDF" >/sys/bus/pci/drivers/hisi_zip/bind
sdm_find_parent
sdm_create "$U2"
dmesg | tail -n 20 | grep -q "$BDF: sdmdev: shared IOMMU domain" ||
	{ echo "rebound function without its window"; exit 1; }

# Kernel or user space, never both: with a zswap deflate pool (kernel
# transforms on the function), opening an instance fails with EBUSY.
zp=/sys/module/zswap/parameters
if [ -d $zp ]; then
	old=$(cat $zp/compressor)
	echo deflate >$zp/compressor
	echo Y >$zp/enabled
	ntfms=$(sed -n 's/^transforms: //p' "/sys/kernel/debug/hisi_zip/$BDF/acomp")
	sdm_create "$U1"
	if [ "${ntfms:-0}" -gt 0 ]; then
		sdmdev-open "$U1" busy || { echo "open with $ntfms kernel transforms attached"; exit 1; }
		echo "kernel transforms attached ($ntfms): open refused with EBUSY"
	else
		echo "zswap allocated no transform up front on $(uname -r): EBUSY path not exercised"
	fi
	echo "$old" >$zp/compressor
	echo N >$zp/enabled
	# zswap frees a replaced pool (and its transforms) from a work item.
	i=0
	while ntfms=$(sed -n 's/^transforms: //p' "/sys/kernel/debug/hisi_zip/$BDF/acomp") &&
	      [ "${ntfms:-0}" -gt 0 ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	[ "${ntfms:-0}" -eq 0 ] || { echo "$ntfms transforms left 10 s after zswap let go"; exit 1; }
	sdmdev-iommu abi "$U1" "$U2" >/dev/null || { echo "no user access after zswap let go"; exit 1; }
	sdm_remove "$U1"
fi
sdm_remove "$U2" 2>/dev/null || true
sdm_queues_idle
echo "sdmdev iommu ok"
