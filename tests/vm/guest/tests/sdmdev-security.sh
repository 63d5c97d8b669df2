# SPDX-License-Identifier: GPL-2.0
# needs: model
# Who may open a queue, without an IOMMU (the bench's normal boot): root
# without CAP_SYS_RAWIO and a user owning the VFIO group are refused with
# EPERM (the device could DMA anywhere); a user without access to the group
# gets EACCES; a user owning the group and holding CAP_SYS_RAWIO opens it.
# One function, one owner: a second uid is refused (EBUSY) while root holds
# an instance of the function, and root is refused while that uid holds one;
# the parent's owner attribute names the holder. (The +iommu boot's
# sdmdev-security-iommu.sh does the same where no capability is needed.)
set -e
. sdmdev-testlib
sdm_find_parent
sdm_create "$U1"
sdm_create "$U2"
g1=/dev/vfio/$(sdm_group "$U1")
g2=/dev/vfio/$(sdm_group "$U2")
trap 'chown 0:0 "$g1" "$g2" 2>/dev/null || true' EXIT

sdmdev-open -R "$U1" eperm
chown 1001:1001 "$g1"
sdmdev-open -u 1001 "$U1" eperm
sdmdev-open -u 1002 "$U1" eacces
sdmdev-open -u 1001 -K "$U1" >/dev/null
sdm_queues_idle

# root holds U2: uid 1001 is refused U1 of the same function
sdm_hold "$U2"
[ "$(cat "$P/owner" 2>/dev/null | cut -d' ' -f1)" = "$HOLDER" ] || { echo "owner: $(cat "$P/owner")"; exit 1; }
sdmdev-open -u 1001 -K "$U1" busy
sdm_kill_holder

# uid 1001 holds U1: root is refused U2
sdm_hold -u 1001 -K "$U1"
sdmdev-open "$U2" busy
sdm_kill_holder
sdm_queues_idle
chown 0:0 "$g1"
sdm_remove "$U1"
sdm_remove "$U2"
echo "security (no IOMMU) ok"
