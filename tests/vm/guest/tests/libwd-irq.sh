# SPDX-License-Identifier: GPL-2.0
# needs: model
# libwd's interrupt mode (wd_queue_wait() sleeping in SDMDEV_WAIT, reached
# through wd_comp_poll() with a timeout): 300 async requests complete
# through the kernel wait, each checked with zlib, and a poll with nothing
# pending returns at once. With the engines hung, a 500 ms poll times out
# (nothing completed) within 500 ms .. 2.5 s having slept in the kernel;
# the process then sleeps (state S, not spinning) in a 60 s poll until the
# engine is released, and its request completes, checked.
set -e
. sdmdev-testlib
sdm_find_parent
trap 'wd-model release >/dev/null 2>&1 || true; wd-model -m 1 release >/dev/null 2>&1 || true' EXIT

wd-hwtest irq 300

# hang both engines: the session may be on either function
wd-model hang
wd-model -m 1 hang
wd-hwtest irq-hung 500 >/tmp/irq.out 2>&1 &
H=$!
i=0
while ! grep -q '^waiting' /tmp/irq.out; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 $H 2>/dev/null; then
		cat /tmp/irq.out; exit 1
	fi
	sleep 0.1
done
# asleep in the kernel, every time we look
for _ in 1 2 3 4 5; do
	st=$(sed 's/^.*) //' /proc/$H/stat | cut -d' ' -f1)
	[ "$st" = S ] || { echo "waiting process in state $st, want S"; cat /proc/$H/wchan; echo; exit 1; }
	sleep 0.2
done
echo "waiting in $(cat /proc/$H/wchan)"
wd-model release
wd-model -m 1 release
rc=0
wait $H || rc=$?
cat /tmp/irq.out
[ $rc -eq 0 ] || { echo "irq-hung exited $rc"; exit 1; }
# libwd removed what it created; every queue given back
[ -z "$(ls /sys/bus/sdmdev/devices)" ] || { ls /sys/bus/sdmdev/devices; exit 1; }
sdm_queues_idle
echo "libwd interrupt mode ok"
