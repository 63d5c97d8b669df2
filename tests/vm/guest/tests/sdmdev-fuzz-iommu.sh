# SPDX-License-Identifier: GPL-2.0
# needs: model iommu
# sdmdev-fuzz.sh again, behind the virtual IOMMU: VFIO_IOMMU_MAP_DMA and
# SDMDEV_MAP_DMA then map into the function's own domain, and the race
# threads' requests name user memory being mapped and unmapped, so most of
# them end in DMA faults (each an abnormal error the QM logs: about 1,200
# kernel log lines, hence the bench's log_buf_len). Same seed as the plain
# boot's run.
. /wd/tests/sdmdev-fuzz.sh
