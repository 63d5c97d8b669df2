# SPDX-License-Identifier: GPL-2.0
# needs: model
# Error paths, driven through the device model's fault commands:
# - an abnormal QM error is reported (named, counted) and cleared, and the
#   queues' owners are asked to reset (counted as an error reset);
# - corrupt output: the self-test's decompression catches the flipped byte;
# - a request completing with an error status fails the self-test cleanly;
# - a hung engine: the self-test times out, the queue is stopped with its
#   request still in the hardware and its rings are kept; once the engine
#   resumes, the late completion lands harmlessly and nothing is in use.
# Every case ends with a passing self-test.
set -e
. hzip-testlib
hzip_find_pf
field() { sed -n "s/^$1: //p" "$dir/status"; }
selftest_ok() {
	out=$(cat "$dir/selftest")
	[ "$out" = passed ] || { echo "$1: self-test says '$out'"; exit 1; }
}

# 1. Abnormal error: "SQ not in function's VFT" (bit 9). With its own vector
# it is reported at once; with one shared vector at the next interrupt, which
# the self-test provides.
errs=$(field "abnormal errors")
resets=$(field "error resets")
wd-model abnormal 0x200
selftest_ok "after abnormal"
[ "$(field "abnormal errors")" = $((errs + 1)) ] || { echo "abnormal error not counted"; cat "$dir/status"; exit 1; }
i=0
while [ "$(field "error resets")" = "$resets" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(field "error resets")" = $((resets + 1)) ] || { echo "no error reset"; cat "$dir/status"; exit 1; }
# A corrected error (ECC 1-bit) is reported but resets nothing.
wd-model abnormal 0x8
selftest_ok "after a corrected error"
[ "$(field "abnormal errors")" = $((errs + 2)) ] || { echo "corrected error not counted"; cat "$dir/status"; exit 1; }
[ "$(field "error resets")" = $((resets + 1)) ] || { echo "corrected error caused a reset"; exit 1; }
dmesg | grep -q "hisi_zip $bdf: QM error: SQ not in function's VFT" || { echo "abnormal error not logged"; exit 1; }
wd-model status | grep -q "abnormal=0x0 " || { echo "abnormal source not cleared: $(wd-model status)"; exit 1; }

# 2. The next request completes with status 0x11: the self-test reports it.
wd-model fail 1 0x11
out=$(cat "$dir/selftest")
echo "with a failing request: $out"
[ "$out" = "failed: -5" ] || exit 1
dmesg | grep -q "hisi_zip $bdf: selftest: compress: status 0x11" || { echo "status not logged"; exit 1; }
[ "$(field "queue pairs in use")" = 0 ] || { echo "queue pair left in use"; exit 1; }
selftest_ok "after fail"

# 2b. Corrupt output: the compressed data has a flipped byte; the
# decompression (Adler-32 trailer check) or the comparison catches it.
wd-model corrupt 1
out=$(cat "$dir/selftest")
echo "with corrupt output: $out"
[ "$out" = "failed: -5" ] || { wd-model corrupt 0; exit 1; }
wd-model status | grep -q "corrupt_left=0 " || { echo "corruption not used up"; exit 1; }
selftest_ok "after corrupt"

# 3. Hung engine: no completion within the self-test's 5 s.
wd-model hang
out=$(cat "$dir/selftest")
echo "with a hung engine: $out"
[ "$out" = "failed: -110" ] || { wd-model release; exit 1; }
dmesg | grep -q "hisi_zip $bdf: queue [0-9]* stopped with 1 requests still in the hardware" ||
	{ wd-model release; echo "no stop message"; exit 1; }
dmesg | grep -q "hisi_zip $bdf: queue [0-9]*: leaking its rings" || { wd-model release; exit 1; }
[ "$(field "queue pairs in use")" = 0 ] || { wd-model release; echo "queue pair left in use"; exit 1; }
before=$(field "eq entries")
wd-model release
# The late completion arrives for a queue nobody owns any more.
i=0
while [ "$(field "eq entries")" = "$before" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(field "eq entries")" = $((before + 1)) ] || { echo "late EQ entry not seen"; cat "$dir/status"; exit 1; }
selftest_ok "after hang"
echo "faults handled"
