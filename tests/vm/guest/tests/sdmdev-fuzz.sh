# SPDX-License-Identifier: GPL-2.0
# needs: model
# sdmdev's user ABI under random use (progs/sdmdev-fuzz.c): 100,000 system
# calls from three threads (ioctls with random sizes, flags and pointers,
# mmap offsets and lengths, map/unmap, sysfs create/remove and open/close
# races). The seed is printed here and in the kernel log; WD_FUZZ_SEED on
# the host (tests/vm/run) replays one. The bench's kernel-log check then
# proves no oops/WARN; afterwards the queues are all back with the PF.
set -e
. sdmdev-testlib
sdm_find_parent
seed=$(cat /etc/wd/fuzz-seed 2>/dev/null || echo 0)
ops=$(cat /etc/wd/fuzz-ops 2>/dev/null || echo 100000)
if [ "$seed" != 0 ]; then
	sdmdev-fuzz -s "$seed" -n "$ops" "$P"
else
	sdmdev-fuzz -n "$ops" "$P"
fi
ls /sys/bus/sdmdev/devices | grep -q . && { echo "instances left:"; ls /sys/bus/sdmdev/devices; exit 1; }
sdm_queues_idle
# the device still works for a real user
sdm_create "$U1"
sdmdev-open "$U1" zip
sdm_remove "$U1"
