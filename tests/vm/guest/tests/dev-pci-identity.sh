# SPDX-License-Identifier: GPL-2.0
# needs: model
# The device model appears as the real ZIP PF: 19e5:a250, revision 0x21, a
# 64-bit memory BAR2 of 4 MiB, MSI capable; and hisi_zip binds to it. The
# bench has two of them.
set -e
# The bench attaches two ZIP PFs (one model process each); check both.
n=0
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x19e5 ] && [ "$(cat "$d/device")" = 0xa250 ] || continue
	n=$((n + 1))
	found=$d
	echo "device: $found"
	rev=$(cat "$found/revision")
	[ "$rev" = 0x21 ] || { echo "revision $rev, want 0x21"; exit 1; }
	# resource: one line per BAR, "start end flags"
	set -- $(sed -n 3p "$found/resource")
	size=$(( $2 - $1 + 1 ))
	[ "$size" -eq $((4 << 20)) ] || { echo "BAR2 size $size, want 4 MiB"; cat "$found/resource"; exit 1; }
	[ $(( $3 & 0x200 )) -ne 0 ] || { echo "BAR2 is not a memory BAR (flags $3)"; exit 1; }
	[ $(( $3 & 0x100000 )) -ne 0 ] || { echo "BAR2 is not 64-bit (flags $3)"; exit 1; }
	for bar in 1 2 4 5 6; do
		set -- $(sed -n "${bar}p" "$found/resource")
		[ "$1" = 0x0000000000000000 ] || { echo "unexpected resource line $bar: $*"; exit 1; }
	done
	class=$(cat "$found/class")
	echo "class $class"
	[ "$(readlink "$found/driver")" != "" ] || { echo "no driver bound"; exit 1; }
	basename "$(readlink "$found/driver")" | grep -qx hisi_zip || { echo "bound to $(readlink "$found/driver")"; exit 1; }
	echo "bound to hisi_zip"
done
[ $n -eq 2 ] || { echo "$n 19e5:a250 functions, want 2"; ls /sys/bus/pci/devices; exit 1; }
