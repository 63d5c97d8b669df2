# SPDX-License-Identifier: GPL-2.0
# needs: model
# Open an instance through container + group + VFIO_TYPE1v2_IOMMU, check
# device and region info, the mmap rules (whole region, shared, once, not
# inherited by fork) and SDMDEV_GET_INFO; the queue goes back on close. Two
# processes cannot hold one function's instances at the same time.
set -e
. sdmdev-testlib
sdm_find_parent
sdm_create "$U1"
sdm_create "$U2"

sdmdev-open "$U1"
sdm_queues_idle
dmesg | grep -q "opened without IOMMU protection" || { echo "no no-IOMMU notice"; exit 1; }
[ $(( $(cat /proc/sys/kernel/tainted) & 64 )) -ne 0 ] || { echo "no TAINT_USER after a no-IOMMU open"; exit 1; }

# One owner per function: a second process gets EBUSY while the first holds.
sdm_hold "$U1"
sdm_in_use 1
sdmdev-open "$U2" busy
sdm_kill_holder
sdm_queues_idle
sdmdev-open "$U2"

sdm_remove "$U1"
sdm_remove "$U2"
echo "open ok"
