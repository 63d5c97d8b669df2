# SPDX-License-Identifier: GPL-2.0
# needs: model
# pf_q_num is range checked at load time and sizes the PF's queue range;
# unloading frees the vectors.
set -e
ko=/lib/modules/$(uname -r)/extra/hisi_zip.ko
. hzip-testlib
hzip_find_pf

rmmod hisi_zip
if grep -q hisi_zip /proc/interrupts; then
	echo "vectors left after rmmod:"; grep hisi_zip /proc/interrupts; exit 1
fi
for bad in 0 1 1025 5000 abc; do
	if insmod $ko pf_q_num=$bad 2>/dev/null; then
		echo "pf_q_num=$bad was accepted"; rmmod hisi_zip; exit 1
	fi
done
dmesg | grep -q "pf_q_num=1025 is out of range 2..1024" || { echo "no range message"; exit 1; }

insmod $ko pf_q_num=8
line=$(dmesg | grep "hisi_zip $bdf: QM started" | tail -n 1)
echo "$line"
case $line in *"QM started: 8 queues from base 0, depth 1024") ;; *) echo "want 8 queues"; exit 1 ;; esac
rmmod hisi_zip

insmod $ko pf_q_num=1024
line=$(dmesg | grep "hisi_zip $bdf: QM started" | tail -n 1)
case $line in *"QM started: 1024 queues from base 0, depth 1024") ;; *) echo "want 1024 queues: $line"; exit 1 ;; esac
rmmod hisi_zip

insmod $ko
line=$(dmesg | grep "hisi_zip $bdf: QM started" | tail -n 1)
case $line in *"QM started: 64 queues from base 0,"*) ;; *) echo "default is not 64: $line"; exit 1 ;; esac
echo "range checks and queue counts ok"
