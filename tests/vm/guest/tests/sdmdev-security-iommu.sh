# SPDX-License-Identifier: GPL-2.0
# needs: model iommu
# Who may open a queue and where its DMA goes, behind the virtual IOMMU: a
# user owning the VFIO group opens an instance with no capability; a user
# without access gets EACCES; a second uid is refused (EBUSY) while root
# holds an instance of the function, and root while that uid holds one.
# DMA outside what the process mapped (sdmdev-iommu outside, as that user):
# addresses in the window nobody mapped, above the window, output running
# off the end of a mapping: each request fails with a DMA error and the
# process's memory is untouched; the function then works again.
set -e
. sdmdev-testlib
sdm_find_parent
sdm_create "$U1"
sdm_create "$U2"
g1=/dev/vfio/$(sdm_group "$U1")
g2=/dev/vfio/$(sdm_group "$U2")
trap 'chown 0:0 "$g1" "$g2" 2>/dev/null || true' EXIT
chown 1001:1001 "$g1"
# uid 1001 pins 1 MiB: room under RLIMIT_MEMLOCK (root is not counted)
ulimit -l 65536

sdmdev-open -u 1001 "$U1" >/dev/null
sdmdev-open -u 1002 "$U1" eacces
sdm_queues_idle

sdm_hold "$U2"
sdmdev-open -u 1001 "$U1" busy
sdm_kill_holder

sdm_hold -u 1001 "$U1"
sdmdev-open "$U2" busy
sdm_kill_holder
sdm_queues_idle

sdmdev-iommu outside "$U1" 1001
sdm_queues_idle
chown 0:0 "$g1"
sdm_remove "$U1"
sdm_remove "$U2"
echo "security (IOMMU) ok"
