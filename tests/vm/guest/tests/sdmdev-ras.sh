# SPDX-License-Identifier: GPL-2.0
# needs: model
# An abnormal (RAS) interrupt while a user process has a request in flight
# (wd-model hang, then abnormal 0x200, "SQ not in function's VFT"; the QM
# cannot say which queue an error hit, so every queue of the function is
# reset):
#  - through sdmdev: the process asleep in SDMDEV_WAIT wakes with EIO, and
#    every later wait fails at once; its rings are left alone, so once the
#    engine is released its request completes and is checked, and it
#    closes its instance with nothing left in the hardware;
#  - through libwd (interrupt mode): wd_comp_poll() fails with WD_EIO, and
#    again at once; after the close a new session (a fresh queue)
#    compresses, checked;
#  - debugfs counts each abnormal error, reset and user queue told; a fresh
#    queue on the function compresses afterwards, and so does the kernel's
#    crypto path (its queues were reset too).
set -e
. sdmdev-testlib
U3=6c7d8e9f-a0b1-4c2d-8e3f-4a5b6c7d8e9f
HOLDER=""
trap 'wd-model release >/dev/null 2>&1 || true
      [ -z "$HOLDER" ] || { sdm_kill_holder; echo 1 >"/sys/bus/sdmdev/devices/$U3/remove"; } 2>/dev/null || true' EXIT
sdm_find_parent
D=/sys/kernel/debug/hisi_zip/$BDF
field() { sed -n "s/^$1: //p" "$D/status"; }
busy0=$(dmesg | grep -c "stopped with requests" || true)

# raise: one abnormal interrupt; the counters move by one each
raise() {
	abn=$(field "abnormal errors")
	resets=$(field "error resets")
	uerr=$(field "user queue errors")
	wd-model abnormal 0x200
}
counted() {
	[ "$(field "abnormal errors")" = $((abn + 1)) ] || { echo "abnormal error not counted"; cat "$D/status"; exit 1; }
	[ "$(field "error resets")" = $((resets + 1)) ] || { echo "no error reset"; cat "$D/status"; exit 1; }
	[ "$(field "user queue errors")" -ge $((uerr + 1)) ] || { echo "user queue not told"; cat "$D/status"; exit 1; }
}

# 1. sdmdev ABI
sdm_create "$U1"
wd-model hang
sdm_start /tmp/ras-sdm.out waiting sdmdev-open "$U1" ras
t0=$(date +%s)
raise
sdm_await /tmp/ras-sdm.out errored
t1=$(date +%s)
wd-model release
rc=0
wait $BG || rc=$?
cat /tmp/ras-sdm.out
[ $rc -eq 0 ] || { echo "sdmdev-open ras failed ($rc)"; exit 1; }
grep -q "^wait: Input/output error" /tmp/ras-sdm.out || exit 1
echo "process told after $((t1 - t0)) s"
counted
dmesg | grep "QM error: asked the owners of" | tail -n 1
sdm_queues_idle
sdmdev-open "$U1" zip
sdm_remove "$U1"

# 2. libwd: WD_EIO, then a new session works. The second function is
# held, so that libwd's queues are on the first (the one that faults).
if [ "$(ls /sys/class/sdmdev | wc -l)" -ge 2 ]; then
	sdm_find_parent2
	echo "$U3" >"$P2/create"
	sdm_hold "$U3"
fi
wd-model hang
sdm_start /tmp/ras-wd.out waiting wd-hwtest irq-ras
raise
sdm_await /tmp/ras-wd.out errored
wd-model release
kill -USR1 $BG
rc=0
wait $BG || rc=$?
cat /tmp/ras-wd.out
[ $rc -eq 0 ] || { echo "wd-hwtest irq-ras failed ($rc)"; exit 1; }
grep -q "^poll: .* (-5)" /tmp/ras-wd.out || exit 1
counted
sdm_queues_idle
if [ -n "$HOLDER" ]; then
	sdm_kill_holder
	sdm_remove "$U3"
fi

# 3. the kernel's path on the function
echo "rt deflate 4096" >"$D/acomp_test" || { cat "$D/acomp_test"; exit 1; }
cat "$D/acomp_test"
[ "$(dmesg | grep -c "stopped with requests" || true)" = "$busy0" ] ||
	{ echo "a queue was closed with requests in the hardware"; exit 1; }
echo "ras on user queues handled"
