# SPDX-License-Identifier: GPL-2.0
# needs: model
# debugfs: status shows the queue range and nothing in use; each read of
# selftest runs the ring self-test again (2 more EQ entries each time, one
# per request), and the queue pairs it used are given back.
set -e
. hzip-testlib
hzip_find_pf
[ -d "$dir" ] || { echo "no $dir"; ls -R /sys/kernel/debug/hisi_zip; exit 1; }

cat "$dir/status"
grep -qx "queues: 64 from base 0, depth 1024" "$dir/status" || { echo "bad queue line"; exit 1; }
grep -qx "queue pairs in use: 0" "$dir/status" || { echo "queues in use at rest"; exit 1; }
entries() { sed -n 's/^eq entries: //p' "$dir/status"; }
# Abnormal errors: none new during this test. Counted from where they stand
# (fault tests before this one inject some); a rebind starts them again.
hzip_abnormal_mark

before=$(entries)
for i in 1 2 3; do
	out=$(cat "$dir/selftest")
	[ "$out" = passed ] || { echo "selftest run $i: $out"; exit 1; }
done
after=$(entries)
echo "eq entries: $before -> $after"
[ $((after - before)) -eq 6 ] || { echo "want 6 new EQ entries"; exit 1; }
grep -qx "queue pairs in use: 0" "$dir/status" || { echo "self-test leaked queue pairs"; exit 1; }
hzip_no_new_abnormal

# Readers in flight while the device goes away: unbind waits for them.
cat "$dir/selftest" >/tmp/st.out &
echo "$bdf" >/sys/bus/pci/drivers/hisi_zip/unbind
wait
[ ! -d "$dir" ] || { echo "$dir left after unbind"; exit 1; }
echo "$bdf" >/sys/bus/pci/drivers/hisi_zip/bind
[ -d "$dir" ] || { echo "$dir missing after bind"; exit 1; }
hzip_abnormal_mark
echo "concurrent read gave: $(cat /tmp/st.out)"

# Rings wrap: 3172 requests through one queue of depth 1024, kept full.
before=$(entries)
out=$(cat "$dir/burst")
echo "burst: $out"
[ "$out" = "passed: 3172 requests" ] || { dmesg | grep hisi_zip | tail -n 5; exit 1; }
after=$(entries)
# One probe request + the burst, one EQ entry each.
[ $((after - before)) -eq 3173 ] || { echo "EQ entries $before -> $after, want +3173"; exit 1; }
dmesg | grep "hisi_zip $bdf: burst passed" | tail -n 1
grep -qx "queue pairs in use: 0" "$dir/status" || { echo "burst leaked queue pairs"; exit 1; }
hzip_no_new_abnormal
