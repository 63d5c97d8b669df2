# SPDX-License-Identifier: GPL-2.0
# needs: model
# sdmdev sysfs ABI on the ZIP PF: the parent's attributes, creating an
# instance by UUID (bus device bound to the sdmdev driver, its own VFIO
# group), refusing bad and duplicate UUIDs, removing it again.
set -e
. sdmdev-testlib
sdm_find_parent

[ "$(cat "$P/api")" = hisi_qm_v2 ] || { echo "api: $(cat "$P/api")"; exit 1; }
[ "$(cat "$P/name")" = "hisi_zip PF queue" ] || { echo "name: $(cat "$P/name")"; exit 1; }
# SHARED_MMIO | NOIOMMU | WAIT: the bench's guests have no IOMMU.
[ "$(cat "$P/flags")" = 0x7 ] || { echo "flags: $(cat "$P/flags")"; exit 1; }
[ "$(cat "$P/mmio_size")" = 4096 ] || { echo "mmio_size: $(cat "$P/mmio_size")"; exit 1; }
[ "$(cat "$P/ring_size")" = 147456 ] || { echo "ring_size: $(cat "$P/ring_size")"; exit 1; }
[ "$(cat "$P/dma_size")" = 1048576 ] || { echo "dma_size: $(cat "$P/dma_size")"; exit 1; }
[ "$(cat "$P/numa_node")" = "$(cat "$PF/numa_node")" ] || { echo "numa_node differs"; exit 1; }
avail=$(cat "$P/available_instances")
[ "$avail" = 64 ] || { echo "available_instances: $avail"; exit 1; }

sdm_create "$U1"
d=/sys/bus/sdmdev/devices/$U1
[ "$(basename "$(readlink "$d/driver")")" = sdmdev ] || { echo "not bound to sdmdev"; exit 1; }
[ "$(readlink -f "$d/..")" = "$(readlink -f "$PF")" ] || { echo "not a child of the PF"; exit 1; }
[ "$(cat "$d/api")" = hisi_qm_v2 ] || { echo "instance api: $(cat "$d/api")"; exit 1; }
[ "$(cat "$d/open")" = 0 ] || { echo "a new instance is open: $(cat "$d/open")"; exit 1; }
g=$(sdm_group "$U1")
[ -c "/dev/vfio/$g" ] || { echo "no /dev/vfio/$g"; ls -l /dev/vfio; exit 1; }
[ "$(cat "$P/available_instances")" = $((avail - 1)) ] || { echo "available did not drop"; exit 1; }

if echo "$U1" >"$P/create" 2>/dev/null; then echo "duplicate UUID accepted"; exit 1; fi
if echo not-a-uuid >"$P/create" 2>/dev/null; then echo "bad UUID accepted"; exit 1; fi
if echo "${U1}x" >"$P/create" 2>/dev/null; then echo "trailing junk accepted"; exit 1; fi
if echo 0 >"$d/remove" 2>/dev/null; then echo "remove accepted 0"; exit 1; fi

sdm_remove "$U1"
[ ! -e "/dev/vfio/$g" ] || { echo "/dev/vfio/$g left behind"; exit 1; }
[ "$(cat "$P/available_instances")" = "$avail" ] || { echo "available not restored"; exit 1; }
sdm_queues_idle
echo "sysfs ABI ok"
