# SPDX-License-Identifier: GPL-2.0
# needs: model
# The WarpDrive path end to end: a process compresses with a user queue on
# its own (SQE into the mapped ring, buffers in the DMA region, one doorbell
# store, CQ polling), and zlib inflates the result back to the input. The
# queue is given back afterwards and the engine saw no error.
set -e
. sdmdev-testlib
sdm_find_parent
D=/sys/kernel/debug/hisi_zip/$BDF/status
# Against where the count stood: earlier tests (sdmdev-ras) inject errors.
abn0=$(sed -n 's/^abnormal errors: //p' "$D")
sdm_create "$U1"
sdmdev-open "$U1" zip
sdm_queues_idle
[ "$(sed -n 's/^abnormal errors: //p' "$D")" = "$abn0" ] ||
	{ echo "abnormal errors: $abn0 before"; cat "$D"; exit 1; }
sdm_remove "$U1"
echo "user-space zip ok"
