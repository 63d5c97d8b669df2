# SPDX-License-Identifier: GPL-2.0
# needs: model
# The probe-time self-test ran through the rings: a zlib compress on a
# compress queue and a decompress on a decompress queue, both completed by the
# EQ interrupt, and the data came back identical.
set -e
. hzip-testlib
hzip_find_pf

line=$(dmesg | grep "hisi_zip $bdf: selftest" | tail -n 1)
echo "$line"
case $line in
*"selftest passed: zlib 4096 -> "*" bytes and back in "*) ;;
*) echo "self-test did not pass"; dmesg | grep hisi_zip | tail -n 20; exit 1 ;;
esac
# The compressed size is a real result: well under the 4096 input.
clen=$(echo "$line" | sed 's/.*zlib 4096 -> \([0-9]*\) bytes.*/\1/')
[ "$clen" -gt 0 ] && [ "$clen" -lt 1024 ] || { echo "compressed size $clen"; exit 1; }

# Completions came through the EQ vector: its count is not zero.
eq=$(hzip_irq_lines | grep -E " hisi_zip-(eq|qm)\$")
total=0
for f in $(echo "$eq" | cut -d: -f2); do
	case $f in *[!0-9]*) break ;; *) total=$((total + f)) ;; esac
done
echo "EQ interrupts: $total"
[ "$total" -ge 2 ] || { echo "EQ vector fired $total times, want >= 2"; exit 1; }

# With selftest=0 no self-test runs: the count of result lines stays put.
before=$(dmesg | grep -c "hisi_zip $bdf: selftest" || true)
rmmod hisi_zip
insmod /lib/modules/$(uname -r)/extra/hisi_zip.ko selftest=0
after=$(dmesg | grep -c "hisi_zip $bdf: selftest" || true)
rmmod hisi_zip
insmod /lib/modules/$(uname -r)/extra/hisi_zip.ko
[ "$before" = "$after" ] || { echo "selftest=0 still ran the self-test"; exit 1; }
dmesg | grep "hisi_zip $bdf: selftest" | tail -n 1 | grep -q "selftest passed" ||
	{ echo "self-test failed after reload"; exit 1; }
