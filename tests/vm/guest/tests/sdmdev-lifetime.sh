# SPDX-License-Identifier: GPL-2.0
# needs: model
# Lifetime: remove of an open instance is refused; kill -9 of the holder
# gives the queue back; rmmod of hisi_zip is refused while an instance is
# open and deletes closed instances; unbinding the PF with an instance open
# waits for the holder, which kill -9 ends. No WARN/oops (kernel-log check).
set -e
. sdmdev-testlib
sdm_find_parent
sdm_create "$U1"

# remove while open: EBUSY, the instance stays usable
sdm_hold "$U1"
[ "$(cat "/sys/bus/sdmdev/devices/$U1/open")" = 1 ] || { echo "held instance not open"; exit 1; }
if echo 1 >"/sys/bus/sdmdev/devices/$U1/remove" 2>/dev/null; then
	echo "remove of an open instance accepted"; exit 1
fi
[ -e "/sys/bus/sdmdev/devices/$U1" ] || { echo "instance gone"; exit 1; }
# rmmod while open: refused, the parent module is pinned
if rmmod hisi_zip 2>/dev/null; then echo "rmmod hisi_zip with an open queue"; exit 1; fi
sdm_kill_holder
sdm_queues_idle
[ "$(cat "/sys/bus/sdmdev/devices/$U1/open")" = 0 ] || { echo "still open after kill"; exit 1; }
sdm_remove "$U1"

# rmmod with closed instances: they go with the parent
sdm_create "$U1"
sdm_create "$U2"
rmmod hisi_zip
[ ! -e "/sys/bus/sdmdev/devices/$U1" ] && [ ! -e "/sys/bus/sdmdev/devices/$U2" ] ||
	{ echo "instances outlived rmmod"; ls /sys/bus/sdmdev/devices; exit 1; }
ls /sys/class/sdmdev | grep -q . && { echo "parent outlived rmmod"; exit 1; }
insmod "/lib/modules/$(uname -r)/extra/hisi_zip.ko"
sdm_find_parent

# unbind with an instance open: waits until the holder dies
sdm_create "$U1"
sdm_hold "$U1"
echo "$BDF" >/sys/bus/pci/drivers/hisi_zip/unbind &
unbind=$!
sleep 1
kill -0 $unbind 2>/dev/null || { echo "unbind did not wait for the open instance"; exit 1; }
sdm_kill_holder
wait $unbind || { echo "unbind failed"; exit 1; }
[ ! -e "/sys/bus/sdmdev/devices/$U1" ] || { echo "instance outlived unbind"; exit 1; }
echo "$BDF" >/sys/bus/pci/drivers/hisi_zip/bind
sdm_find_parent
sdm_queues_idle
echo "lifetime ok"
