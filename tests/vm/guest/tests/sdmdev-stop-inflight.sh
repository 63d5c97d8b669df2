# SPDX-License-Identifier: GPL-2.0
# needs: model
# Closing a user queue while the engine still holds its request: hisi_zip
# reads the SQ/CQ positions back from the QM, reports the queue busy, and
# sdmdev and the QM keep (leak) its DMA region and rings instead of freeing
# memory the device may still write. When the engine resumes, the late
# completion lands harmlessly; a queue that finished its work is given back
# drained (no leak) and the device keeps working.
set -e
. sdmdev-testlib
trap 'wd-model release >/dev/null 2>&1 || true' EXIT
sdm_find_parent
st=/sys/kernel/debug/hisi_zip/$BDF/status
sdm_create "$U1"

# A queue whose request completed is drained at close.
busy() { dmesg | grep -c "stopped with requests" || true; }
busy0=$(busy)
sdmdev-open "$U1" zip
[ "$(busy)" = "$busy0" ] || { echo "a drained queue was reported busy"; dmesg | tail -n 5; exit 1; }

leaks() { dmesg | grep -c "hisi_zip $BDF: queue [0-9]*: leaking its rings" || true; }
leak0=$(leaks)
wd-model hang
sdmdev-open "$U1" inflight
dmesg | grep -q "hisi_zip $BDF: user queue [0-9]* stopped with requests still in the hardware" ||
	{ echo "no busy stop reported by hisi_zip"; dmesg | tail -n 20; exit 1; }
dmesg | grep -q "queue [0-9]* stopped with requests in flight: leaking its DMA region" ||
	{ echo "sdmdev did not keep the DMA region"; dmesg | tail -n 20; exit 1; }
[ "$(leaks)" -gt "$leak0" ] || { echo "the QM did not keep the rings"; exit 1; }
sdm_queues_idle

before=$(sed -n 's/^eq entries: //p' $st)
wd-model release
i=0
while [ "$(sed -n 's/^eq entries: //p' $st)" = "$before" ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
[ "$(sed -n 's/^eq entries: //p' $st)" -gt "$before" ] || { echo "late completion not seen"; cat $st; exit 1; }
# The device still works, for user space and for the kernel.
sdmdev-open "$U1" zip
[ "$(cat /sys/kernel/debug/hisi_zip/$BDF/selftest)" = passed ] || exit 1
sdm_remove "$U1"
echo "stop with a request in flight ok"
