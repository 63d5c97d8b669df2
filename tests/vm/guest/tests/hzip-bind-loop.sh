# SPDX-License-Identifier: GPL-2.0
# needs: model
# Unbind and rebind the PF 100 times through sysfs: every bind starts the QM
# and passes the self-test again, every unbind frees the vectors, and the
# kernel log stays free of warnings. Leak check over the 100 rounds (after
# 5 warm-up rounds, with caches dropped before each look): unreclaimable
# slab may not grow by 1 MiB (10 KiB a round), free memory may not shrink
# by 8 MiB (one leaked queue ring is 144 KiB, one crypto transform's
# buffers more), pinned user pages acquired and released stay equal. The
# slab caches that grew most are printed.
set -e
drv=/sys/bus/pci/drivers/hisi_zip
rounds=100
. hzip-testlib
hzip_find_pf
[ -e "$drv/$bdf" ] || { echo "$bdf not bound at start"; exit 1; }

rebind() {
	irqs=$(hzip_irqs)
	[ -n "$irqs" ] || { echo "round $1: no MSI vectors before unbind"; exit 1; }
	echo "$bdf" >$drv/unbind
	[ ! -e "$drv/$bdf" ] || { echo "round $1: still bound after unbind"; exit 1; }
	for irq in $irqs; do
		if grep -q "^ *$irq:.*hisi_zip" /proc/interrupts; then
			echo "round $1: vector $irq left after unbind"; exit 1
		fi
	done
	echo "$bdf" >$drv/bind
	[ -e "$drv/$bdf" ] || { echo "round $1: bind failed"; dmesg | tail -n 20; exit 1; }
}
meminfo() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }
vmstat() { sed -n "s/^$1 //p" /proc/vmstat; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; }
slabs() { [ -r /proc/slabinfo ] && awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo; }

for i in 1 2 3 4 5; do rebind "warm-up $i"; done
settle
slab0=$(meminfo SUnreclaim) free0=$(meminfo MemFree)
pin_a0=$(vmstat nr_foll_pin_acquired) pin_r0=$(vmstat nr_foll_pin_released)
slabs >/tmp/bind-slab0 || true
starts0=$(dmesg | grep -c "hisi_zip $bdf: QM started" || true)
passed0=$(dmesg | grep -c "hisi_zip $bdf: selftest passed" || true)
t0=$(date +%s)
for i in $(seq $rounds); do rebind $i; done
t1=$(date +%s)
settle
slab1=$(meminfo SUnreclaim) free1=$(meminfo MemFree)
pin_a1=$(vmstat nr_foll_pin_acquired) pin_r1=$(vmstat nr_foll_pin_released)
starts=$(( $(dmesg | grep -c "hisi_zip $bdf: QM started") - starts0 ))
passed=$(( $(dmesg | grep -c "hisi_zip $bdf: selftest passed") - passed0 ))
echo "$rounds rounds in $((t1 - t0)) s: $starts QM starts, $passed self-tests passed"
echo "unreclaimable slab ${slab0} -> ${slab1} kB, free ${free0} -> ${free1} kB"
if slabs >/tmp/bind-slab1; then
	echo "slab caches that grew (bytes):"
	awk 'NR == FNR { a[$1] = $2; next } $2 > a[$1] { print $2 - a[$1], $1 }' \
		/tmp/bind-slab0 /tmp/bind-slab1 | sort -rn | head -n 5
fi
[ "$starts" = $rounds ] || { echo "want $rounds QM starts"; exit 1; }
[ "$passed" = $rounds ] || { echo "want $rounds passed self-tests"; exit 1; }
[ $((slab1 - slab0)) -lt 1024 ] || { echo "unreclaimable slab grew by $((slab1 - slab0)) kB"; exit 1; }
[ $((free0 - free1)) -lt 8192 ] || { echo "free memory shrank by $((free0 - free1)) kB"; exit 1; }
[ "$((pin_a1 - pin_a0))" = "$((pin_r1 - pin_r0))" ] || { echo "pinned pages not released"; exit 1; }
if dmesg | grep -E "WARNING:|BUG:|Call Trace:|hisi_zip .*(timed out|failed|leaking)"; then
	exit 1
fi
