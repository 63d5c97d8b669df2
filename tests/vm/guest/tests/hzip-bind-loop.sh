# SPDX-License-Identifier: GPL-2.0
# needs: model
# Unbind and rebind the PF 20 times through sysfs: every bind starts the QM
# and passes the self-test again, every unbind frees the vectors, and the
# kernel log stays free of warnings.
set -e
drv=/sys/bus/pci/drivers/hisi_zip
pf=""
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x19e5 ] && [ "$(cat "$d/device")" = 0xa250 ] && pf=$d
done
[ -n "$pf" ] || { echo "no ZIP PF"; exit 1; }
bdf=$(basename "$pf")
[ -e "$drv/$bdf" ] || { echo "$bdf not bound at start"; exit 1; }

starts0=$(dmesg | grep -c "hisi_zip $bdf: QM started" || true)
passed0=$(dmesg | grep -c "hisi_zip $bdf: selftest passed" || true)
for i in $(seq 20); do
	echo "$bdf" >$drv/unbind
	[ ! -e "$drv/$bdf" ] || { echo "round $i: still bound after unbind"; exit 1; }
	if grep -q hisi_zip /proc/interrupts; then
		echo "round $i: vectors left after unbind"; exit 1
	fi
	echo "$bdf" >$drv/bind
	[ -e "$drv/$bdf" ] || { echo "round $i: bind failed"; dmesg | tail -n 20; exit 1; }
done
starts=$(( $(dmesg | grep -c "hisi_zip $bdf: QM started") - starts0 ))
passed=$(( $(dmesg | grep -c "hisi_zip $bdf: selftest passed") - passed0 ))
echo "20 rounds: $starts QM starts, $passed self-tests passed"
[ "$starts" = 20 ] || { echo "want 20 QM starts"; exit 1; }
[ "$passed" = 20 ] || { echo "want 20 passed self-tests"; exit 1; }
if dmesg | grep -E "WARNING:|BUG:|Call Trace:|hisi_zip .*(timed out|failed|leaking)"; then
	exit 1
fi
