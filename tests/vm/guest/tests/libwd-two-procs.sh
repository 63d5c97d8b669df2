# SPDX-License-Identifier: GPL-2.0
# needs: model
# Two processes at once on the bench's two ZIP functions: each compresses
# and decompresses through libwd on its own instance (every round checked
# with zlib), and each function's owner is one of them, a different one
# each. A third process on a function the first owns is refused: EBUSY
# from the VFIO open, WD_EBUSY from wd_queue_open() (docs/sdmdev.md,
# "Security model"), while the other function goes on working. Afterwards
# both functions are free and every queue is given back.
set -e
. sdmdev-testlib
sdm_find_parent
sdm_find_parent2

started() {
	i=0
	while ! grep -q '^holding' "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$2" 2>/dev/null; then
			echo "$1: did not start"; cat "$1"; exit 1
		fi
		sleep 0.1
	done
}

wd-hwtest hold 8 >/tmp/two-a.out 2>&1 &
A=$!
started /tmp/two-a.out $A
wd-hwtest hold 8 >/tmp/two-b.out 2>&1 &
B=$!
started /tmp/two-b.out $B
oa=$(cat "$P/owner") ob=$(cat "$P2/owner")
echo "owners: $BDF $oa, $BDF2 $ob (processes $A and $B)"
if [ "$oa" = $A ] && [ "$ob" = $B ]; then
	PA=$P PB=$P2
elif [ "$oa" = $B ] && [ "$ob" = $A ]; then
	PA=$P2 PB=$P
else
	echo "each function should belong to one of the two processes"; exit 1
fi

# a third process on A's function: refused, raw VFIO and through libwd
P=$PA
sdm_create "$U1"
sdmdev-open "$U1" busy
wd-hwtest busy "$U1"
# B's function is untouched: still B's, B still running
[ "$(cat "$PB/owner")" = $B ] || { echo "B lost its function"; exit 1; }
kill -0 $B || { echo "B is gone"; cat /tmp/two-b.out; exit 1; }

rc=0
wait $A || rc=$?
cat /tmp/two-a.out
[ $rc -eq 0 ] || { echo "A exited $rc"; exit 1; }
wait $B || rc=$?
cat /tmp/two-b.out
[ $rc -eq 0 ] || { echo "B exited $rc"; exit 1; }
for f in /tmp/two-a.out /tmp/two-b.out; do
	n=$(sed -n 's/^hold: \([0-9]*\) rounds$/\1/p' $f)
	[ "${n:-0}" -gt 0 ] || { echo "$f: no rounds"; exit 1; }
done
sdm_remove "$U1"
# both functions free again, every queue given back
for p in "$PA" "$PB"; do
	[ "$(cat "$p/owner")" = 0 ] || { echo "$p still owned: $(cat "$p/owner")"; exit 1; }
done
[ -z "$(ls /sys/bus/sdmdev/devices)" ] || { ls /sys/bus/sdmdev/devices; exit 1; }
sdm_queues_idle
BDF=$BDF2
sdm_queues_idle
echo "two processes on two functions ok"
