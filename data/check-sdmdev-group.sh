#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# warpdrive-sdmdev-group against fake sysfs trees: which IOMMU groups the
# udev rule hands to the 'warpdrive' group.
set -u
helper=${srcdir:-.}/warpdrive-sdmdev-group
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
g=$t/kernel/iommu_groups
d=$t/devices
mkdir -p "$t/bus/pci/drivers/vfio-pci" "$t/bus/pci/drivers/sdmdev" "$d/types/sdmdev-zip"
# group 1: a passthrough device bound to vfio-pci
mkdir -p "$g/1/devices" "$d/0000:01:00.0"
ln -s "$t/bus/pci/drivers/vfio-pci" "$d/0000:01:00.0/driver"
ln -s "$d/0000:01:00.0" "$g/1/devices/0000:01:00.0"
# group 2: the accelerator plus an sdmdev instance bound to sdmdev
mkdir -p "$g/2/devices" "$d/0000:02:00.0" "$d/q0"
ln -s "$t/bus/pci/drivers/sdmdev" "$d/q0/driver"
ln -s "$d/0000:02:00.0" "$g/2/devices/0000:02:00.0"
ln -s "$d/q0" "$g/2/devices/q0"
# group 3: an mdev of an sdmdev type
mkdir -p "$g/3/devices" "$d/uuid3"
ln -s "$d/types/sdmdev-zip" "$d/uuid3/mdev_type"
ln -s "$d/uuid3" "$g/3/devices/uuid3"
# group 4: a device carrying an sdmdev class device
mkdir -p "$g/4/devices" "$d/0000:04:00.0/sdmdev/sdmdev0"
ln -s "$d/0000:04:00.0" "$g/4/devices/0000:04:00.0"
# group 5: empty; group 6 does not exist
mkdir -p "$g/5/devices"
rc=0
for case in 1:1 2:0 3:0 4:0 5:1 6:1 vfio:1 "../2:1"; do
	grp=${case%:*} want=${case##*:}
	sh "$helper" "$grp" "$t"
	got=$?
	if [ "$got" = "$want" ]; then echo "ok group $grp -> $got"
	else echo "FAIL group $grp: exit $got, want $want"; rc=1; fi
done
exit $rc
