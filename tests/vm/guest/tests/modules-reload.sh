# SPDX-License-Identifier: GPL-2.0
# Both modules are loaded by /init; unload and reload them, checking that
# what they register appears and disappears with them.
set -e
kdir=/lib/modules/$(uname -r)/extra

lsmod | grep -q '^hisi_zip ' || { echo "hisi_zip not loaded"; exit 1; }
lsmod | grep -q '^sdmdev ' || { echo "sdmdev not loaded"; exit 1; }
[ -d /sys/class/sdmdev ] || { echo "/sys/class/sdmdev missing"; exit 1; }
[ -d /sys/bus/pci/drivers/hisi_zip ] || { echo "hisi_zip PCI driver not registered"; exit 1; }

for round in 1 2 3; do
	rmmod hisi_zip
	rmmod sdmdev
	[ ! -d /sys/class/sdmdev ] || { echo "round $round: class left behind"; exit 1; }
	[ ! -d /sys/bus/pci/drivers/hisi_zip ] || { echo "round $round: driver left behind"; exit 1; }
	insmod $kdir/sdmdev.ko
	insmod $kdir/hisi_zip.ko
done
echo "reloaded 3 times"
