# SPDX-License-Identifier: GPL-2.0
# needs: model
# The PF's queue manager starts with the default queue range (64 queues from
# base 0) and its three MSI vectors (EQ, AEQ, abnormal) are requested.
set -e
. hzip-testlib
hzip_find_pf
[ "$(basename "$(readlink "$pf/driver")")" = hisi_zip ] || { echo "$bdf not bound to hisi_zip"; exit 1; }
[ "$(cat /sys/module/hisi_zip/parameters/pf_q_num)" = 64 ] || { echo "pf_q_num is not 64"; exit 1; }

line=$(dmesg | grep "hisi_zip $bdf: QM started" | tail -n 1)
echo "$line"
case $line in
*"QM started: 64 queues from base 0, depth 1024") ;;
*) echo "no/unexpected QM start line"; dmesg | grep hisi_zip | tail -n 20; exit 1 ;;
esac

hzip_irq_lines >/tmp/qm-irqs
cat /tmp/qm-irqs
# Multi-message MSI gives EQ, AEQ and abnormal their own vectors; a platform
# without it (x86 without interrupt remapping) gets one shared vector, and
# the driver says so at probe.
if dmesg | grep "hisi_zip $bdf: " | grep -E "QM started|share it" | tail -n 2 |
	grep -q "share it"; then
	names="qm"
else
	names="eq aeq abnormal"
fi
for v in $names; do
	n=$(grep -c " hisi_zip-$v\$" /tmp/qm-irqs || true)
	[ "$n" = 1 ] || { echo "hisi_zip-$v: $n lines in /proc/interrupts, want 1"; exit 1; }
done
n=$(grep -c " hisi_zip-" /tmp/qm-irqs || true)
[ "$n" = "$(echo $names | wc -w)" ] || { echo "$n hisi_zip vectors, want: $names"; exit 1; }
# MSI, not INTx: the line names the PCI-MSI domain of our function.
grep -E " hisi_zip-(eq|qm)\$" /tmp/qm-irqs | grep -q MSI || { echo "EQ vector is not MSI"; exit 1; }
echo "vectors: $names"
