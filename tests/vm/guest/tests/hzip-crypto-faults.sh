# SPDX-License-Identifier: GPL-2.0
# needs: model
# Error paths of the acomp algorithms, driven by the device model:
# - a request completing with an error status (0x08) fails with -EINVAL,
#   and the next request works;
# - a hung engine: the request fails with -ETIMEDOUT after acomp_timeout_ms,
#   the queue is replaced, and once the engine resumes requests work again;
# - rmmod while a request is stuck is refused (the transform pins the
#   module) and everything completes once the engine resumes.
set -e
pf=""
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x19e5 ] && [ "$(cat "$d/device")" = 0xa250 ] && pf=$d
done
[ -n "$pf" ] || { echo "no ZIP PF"; exit 1; }
bdf=$(basename "$pf")
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug
t=/sys/kernel/debug/hisi_zip/$bdf/acomp_test
sum() {
	s=0
	for f in /sys/kernel/debug/hisi_zip/*/acomp; do
		s=$((s + $(sed -n "s/^$1: //p" "$f")))
	done
	echo $s
}
trap 'wd-model release >/dev/null 2>&1 || true' EXIT

# 1. One failing request.
wd-model fail 1 0x08
if echo "comp deflate 4096" >$t; then echo "request with status 0x08 succeeded"; exit 1; fi
cat $t
grep -q ": -22$" $t || exit 1
echo "rt deflate 4096" >$t || { cat $t; exit 1; }

# 2. Hung engine.
to=$(sum timeouts)
wd-model hang
if echo "comp deflate 4096" >$t; then echo "request on a hung engine succeeded"; exit 1; fi
cat $t
grep -q ": -110$" $t || exit 1
[ "$(sum timeouts)" -gt "$to" ] || { echo "timeout not counted"; exit 1; }
dmesg | grep -q "acomp: compress queue [0-9]*: 1 requests not completed within" ||
	{ echo "no reset message"; exit 1; }
wd-model release
echo "rt deflate 65536" >$t || { cat $t; exit 1; }
cat $t

# 3. rmmod with a request stuck in the engine.
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
