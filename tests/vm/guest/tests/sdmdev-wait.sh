# SPDX-License-Identifier: GPL-2.0
# needs: model
# SDMDEV_WAIT on a hisi_zip user queue: the parent has SDMDEV_FLAG_WAIT; a
# wait on an idle queue times out after its timeout; a process that sent a
# request to a hung engine sleeps in SDMDEV_WAIT and is woken by the
# completion once the engine resumes (with the CQE in its ring); after it
# drained and re-armed the CQ the next wait times out again; a completion
# that lands before the wait starts is not missed.
set -e
. sdmdev-testlib
trap 'wd-model release >/dev/null 2>&1 || true' EXIT
sdm_find_parent
flags=$(cat "$P/flags")
[ $((flags & 4)) -ne 0 ] || { echo "parent flags $flags lack WAIT (4)"; exit 1; }
sdm_create "$U1"

busy0=$(dmesg | grep -c "stopped with requests" || true)
out=/tmp/sdm-wait.out
wd-model hang
sdm_start $out waiting sdmdev-open "$U1" wait
pid=$BG
# Give it time to fall asleep; the result does not depend on it: a wait
# that returned early without the CQE fails the program's own check.
sleep 1
wd-model release
rc=0
wait $pid || rc=$?
cat $out
[ $rc -eq 0 ] || { echo "sdmdev-open wait failed ($rc)"; exit 1; }
grep -q "^woken after" $out || exit 1
sdm_queues_idle
[ "$(dmesg | grep -c "stopped with requests" || true)" = "$busy0" ] ||
	{ echo "queue not drained at close"; exit 1; }
sdm_remove "$U1"
echo "wait ok"
