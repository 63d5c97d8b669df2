# SPDX-License-Identifier: GPL-2.0
# needs: model
# wd-admin on the model's ZIP PF: list (driver, api, queues, NUMA node, the
# JSON form), create/remove through sdmdev's sysfs, status naming the
# process that holds an instance open, and the refusal to remove it then.
set -e
. sdmdev-testlib
sdm_find_parent

# run WANT ARGS...: wd-admin with stdout in /tmp/a.out, stderr in /tmp/a.err.
run() {
	want=$1
	shift
	rc=0
	wd-admin "$@" >/tmp/a.out 2>/tmp/a.err || rc=$?
	if [ $rc -ne "$want" ]; then
		echo "wd-admin $* exited $rc, want $want"
		cat /tmp/a.out /tmp/a.err
		exit 1
	fi
}

has() {
	grep -q -- "$1" "${2:-/tmp/a.out}" || { echo "no '$1' in:"; cat "${2:-/tmp/a.out}"; exit 1; }
}

node=$(cat "$PF/numa_node")
avail=$(cat "$P/available_instances")
total=$(sed -n 's/^queues: \([0-9]*\) .*/\1/p' "/sys/kernel/debug/hisi_zip/$BDF/status")
[ -n "$total" ] || { echo "no queue count in debugfs"; exit 1; }

run 0 list
cat /tmp/a.out
has "^$BDF  *hisi_zip  *hisi_qm_v2  *$node  *$total  *[0-9][0-9]*  *0  *0  *$avail  *shared_mmio,noiommu,wait$"
run 0 --json list
cat /tmp/a.out
has "\"name\":\"$BDF\",\"bus\":\"pci\",\"pci_address\":\"$BDF\",\"driver\":\"hisi_zip\""
has "\"api\":\"hisi_qm_v2\",\"flags\":\[\"shared_mmio\",\"noiommu\",\"wait\"\],\"numa_node\":$node,\"queues\":$total,"
has "\"available_instances\":$avail,\"open_instances\":0,\"owner\":null,\"instances\":\[\]"

# create: named and random UUIDs
run 0 create -p "$BDF" "$U1"
has "^$U1 $BDF /dev/vfio/$(sdm_group "$U1")$"
[ -d "/sys/bus/sdmdev/devices/$U1" ] || { echo "create made no instance"; exit 1; }
run 0 --json create
has "^{\"created\":\[{\"uuid\":\"[0-9a-f-]*\",\"parent\":\"$BDF\",\"vfio_group\":[0-9]*,\"device\":\"/dev/vfio/[0-9]*\"}\]}$"
u2=$(sed 's/.*"uuid":"\([0-9a-f-]*\)".*/\1/' /tmp/a.out)
[ -d "/sys/bus/sdmdev/devices/$u2" ] || { echo "no instance $u2"; exit 1; }
[ "$(cat "$P/available_instances")" = $((avail - 2)) ] || { echo "available did not drop by 2"; exit 1; }
run 1 create -p "$BDF" "$U1"
has "exists already" /tmp/a.err
run 0 list
has "^$BDF .* 2  *0  *$((avail - 2))  *shared_mmio"

# status: closed, then held open by a process that status names
run 0 status "$U1"
has "^  $U1 /dev/vfio/[0-9]*  *closed  *-  *0  -$"
sdm_hold "$U1"
run 0 status
cat /tmp/a.out
has "^$BDF: hisi_zip PF queue (driver hisi_zip, api hisi_qm_v2, PCI $BDF), owner $HOLDER (sdmdev-open)$"
has "^    queue_pairs_in_use: 1$"
has "^  $U1 /dev/vfio/[0-9]*  *open  *[0-9][0-9]*  *1  $HOLDER (sdmdev-open)$"
has "^  $u2 /dev/vfio/[0-9]*  *closed  *-  *0  -$"
[ "$(cat "/sys/bus/sdmdev/devices/$U1/queue")" -ge 0 ] || { echo "queue attribute while open"; exit 1; }
run 0 --json status "$U1"
has "\"owner\":{\"pid\":$HOLDER,\"comm\":\"sdmdev-open\"}"
has "\"uuid\":\"$U1\",\"parent\":\"$BDF\",\"vfio_group\":[0-9]*,\"device\":\"/dev/vfio/[0-9]*\",\"open\":true,\"queue\":[0-9]*,\"opens\":1,"
has "\"counters\":{\"queues\":"
run 1 remove "$U1"
has "$U1: in use by process $HOLDER (sdmdev-open): close it first" /tmp/a.err
[ -d "/sys/bus/sdmdev/devices/$U1" ] || { echo "open instance removed"; exit 1; }
sdm_kill_holder
sdm_queues_idle
run 0 status "$U1"
has "^  $U1 /dev/vfio/[0-9]*  *closed  *-  *1  -$"
[ "$(cat "$P/owner")" = 0 ] || { echo "parent owner after close: $(cat "$P/owner")"; exit 1; }

# remove: one by name, the rest with --all
run 0 remove "$U1"
[ ! -e "/sys/bus/sdmdev/devices/$U1" ] || { echo "$U1 not removed"; exit 1; }
run 4 remove "$U1"
has "no such instance" /tmp/a.err
run 0 --json remove --all -p "$BDF"
has "^{\"removed\":\[\"$u2\"\]}$"
[ "$(cat "$P/available_instances")" = "$avail" ] || { echo "available not restored"; exit 1; }
run 0 list
has "^$BDF .* 0  *0  *$avail  *shared_mmio"
run 4 status 0000:99:00.0
run 2 create not-a-uuid
echo "wd-admin ok"
