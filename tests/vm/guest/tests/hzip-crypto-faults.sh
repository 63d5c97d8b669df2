# SPDX-License-Identifier: GPL-2.0
# needs: model
# Error paths of the acomp algorithms, driven by the device model:
# - a request completing with an error status (0x08) fails with -EINVAL,
#   and the next request works;
# - a hung engine: the request fails with -ETIMEDOUT after acomp_timeout_ms,
#   the queue is replaced, and once the engine resumes requests work again
#   on the same (held) transform, through its replacement queue;
# - an abnormal (RAS) error while a request is in flight: the request fails
#   at once with -EIO (not by the timeout), the queues are reset (counted),
#   and the same transform works afterwards;
# - corrupt output: a flipped byte in the compressed data is caught when it
#   is decompressed: for zlib-deflate by the engine (bad data, Adler-32
#   mismatch or an overrun), for raw deflate by the engine or the round
#   trip's comparison (the driver does not verify output itself);
# - rmmod while a request is stuck is refused (the transform pins the
#   module) and everything completes once the engine resumes;
# - unbind while a request is stuck: it fails cleanly (-ETIMEDOUT) and the
#   unbind completes; rebinding brings a working device.
# The bench's second ZIP function is unbound meanwhile, so that every
# transform is on the first, whose model takes the faults.
set -e
. hzip-testlib
hzip_find_pf
t=/sys/kernel/debug/hisi_zip/$bdf/acomp_test
sum() { hzip_acomp_sum "$1"; }
to_param=/sys/module/hisi_zip/parameters/acomp_timeout_ms
to_saved=$(cat $to_param)
trap 'wd-model release >/dev/null 2>&1 || true; wd-model corrupt 0 >/dev/null 2>&1 || true
	wd-model fail 0 0 >/dev/null 2>&1 || true
	echo $to_saved >$to_param; echo drop >$t 2>/dev/null || true
	hzip_rebind_others' EXIT
# the faults go to the first model: its function serves every transform
hzip_only_pf
st=/sys/kernel/debug/hisi_zip/$bdf/status
field() { sed -n "s/^$1: //p" $st; }

# 1. One failing request.
wd-model fail 1 0x08
if echo "comp deflate 4096" >$t; then echo "request with status 0x08 succeeded"; exit 1; fi
cat $t
grep -q ": -22$" $t || exit 1
echo "rt deflate 4096" >$t || { cat $t; exit 1; }

# 2. Hung engine, on a held transform: its queue is reset and replaced.
echo "hold deflate" >$t
to=$(sum timeouts)
rs=$(sum "queue resets")
wd-model hang
if echo "comp deflate 4096" >$t; then echo "request on a hung engine succeeded"; exit 1; fi
cat $t
grep -q ": -110$" $t || exit 1
[ "$(sum timeouts)" -gt "$to" ] || { echo "timeout not counted"; exit 1; }
[ "$(sum "queue resets")" -gt "$rs" ] || { echo "reset not counted"; exit 1; }
dmesg | grep -q "acomp: compress queue [0-9]*: 1 requests not completed within" ||
	{ echo "no reset message"; exit 1; }
wd-model release
# The same transform, now on its replacement queue.
echo "rt deflate 65536" >$t || { cat $t; exit 1; }
cat $t

# 3. Abnormal error with a request in flight: -EIO at once, not a timeout.
echo 60000 >$to_param
er=$(field "error resets")
rs=$(sum "queue resets")
c0=$(sum "compress requests")
wd-model hang
rm -f /tmp/hzf.rc
(if echo "comp deflate 4096" >$t; then echo 0; else echo 1; fi >/tmp/hzf.rc) &
bg=$!
i=0
while [ "$(sum "compress requests")" = "$c0" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(sum "compress requests")" -gt "$c0" ] || { echo "request did not start"; exit 1; }
wd-model abnormal 0x20
i=0
while [ ! -s /tmp/hzf.rc ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s /tmp/hzf.rc ] || { echo "request not failed within 10 s of the error"; exit 1; }
wait $bg || true
cat $t
grep -q ": -5$" $t || { echo "want -EIO"; exit 1; }
[ "$(field "error resets")" -gt "$er" ] || { echo "error reset not counted"; cat $st; exit 1; }
[ "$(sum "queue resets")" -gt "$rs" ] || { echo "queue reset not counted"; exit 1; }
dmesg | grep -q "hisi_zip $bdf: QM error: accelerator do-task timeout" || { echo "error not logged"; exit 1; }
dmesg | grep -q "acomp: compress queue [0-9]*: device error, failing 1 requests in flight" ||
	{ echo "no reset message"; exit 1; }
wd-model release
echo $to_saved >$to_param
echo "rt deflate 65536" >$t || { cat $t; exit 1; }
echo "drop" >$t
grep . /sys/kernel/debug/hisi_zip/$bdf/queues

# 4. Corrupt output, caught on decompression. (7.x kernels have no
# software zlib-deflate, so there hisi-zlib-deflate-acomp is not offered.)
if grep -q "hisi-zlib-deflate-acomp" /proc/crypto; then
	wd-model corrupt 1
	if echo "rt zlib-deflate 65536" >$t; then echo "corrupt zlib data went unnoticed"; cat $t; exit 1; fi
	cat $t
	# The engine stops on bad data (-EINVAL), a checksum mismatch (-EINVAL)
	# or output that overruns the expected size (-ENOSPC).
	grep -qE "^decomp .*: -(22|28), " $t || { echo "want the decompression to fail"; exit 1; }
fi
wd-model corrupt 1
if echo "rt deflate 65536" >$t; then echo "corrupt deflate data went unnoticed"; cat $t; exit 1; fi
cat $t
grep -qE "^decomp .*(: -(22|28), |differ$)" $t || { echo "want the decompression to fail or differ"; exit 1; }
wd-model status | grep -q "corrupt_left=0 " || { echo "corruption not used up"; exit 1; }
echo "rt deflate 4096" >$t || { cat $t; exit 1; }

# 5. rmmod with a request stuck in the engine.
wd-model hang
echo "comp deflate 4096" >$t &
bg=$!
sleep 1
if rmmod hisi_zip 2>/dev/null; then echo "rmmod succeeded with a request in flight"; exit 1; fi
wd-model release
wait $bg || true
cat $t
echo "rt deflate 4096" >$t || { cat $t; exit 1; }
grep . /sys/kernel/debug/hisi_zip/*/acomp

# 6. Unbind with a request stuck in the engine: the unbind waits for the
# test write, whose request times out; nothing hangs, rebinding works.
echo 1000 >$to_param
c0=$(sum "compress requests")
wd-model hang
rm -f /tmp/hzf.rc
(if echo "comp deflate 4096" >$t; then echo 0; else echo 1; fi >/tmp/hzf.rc) &
bg=$!
i=0
while [ "$(sum "compress requests")" = "$c0" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(sum "compress requests")" -gt "$c0" ] || { echo "request did not start"; exit 1; }
echo $bdf >/sys/bus/pci/drivers/hisi_zip/unbind
[ -s /tmp/hzf.rc ] || { echo "unbind returned before the request finished"; exit 1; }
wait $bg || true
[ "$(cat /tmp/hzf.rc)" != 0 ] || { echo "request on a hung engine succeeded"; exit 1; }
wd-model release
echo $to_saved >$to_param
echo $bdf >/sys/bus/pci/drivers/hisi_zip/bind
[ -e /sys/bus/pci/drivers/hisi_zip/$bdf ] || { echo "rebind failed"; exit 1; }
echo "rt deflate 4096" >$t || { cat $t; exit 1; }
echo "crypto faults handled"
