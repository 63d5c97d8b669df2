#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# wd-admin against made-up sysfs trees ($WD_SYSFS_ROOT) laid out as sdmdev's
# (docs/ABI/sysfs-bus-sdmdev): no sdmdev, sdmdev without devices, and two
# ZIP functions (one from a module without the owner/queue attributes).
# Checks exit codes, messages, the table, the JSON (parsed by python3) and
# what create/remove write. The real thing runs in the VM bench
# (tests/vm/guest/tests/wd-admin.sh).
A=${WD_ADMIN:?WD_ADMIN must name the wd-admin binary}
[ -x "$A" ] || { echo "FAIL: $A is not executable"; exit 1; }
. "${srcdir:-.}/check-lib.sh"
need python3

# run WANT ROOT ARGS...: wd-admin with that sysfs root; stdout in $T/out,
# stderr in $T/err; checks the exit status.
run() {
	want=$1 root=$2
	shift 2
	rc=0
	WD_SYSFS_ROOT=$root "$A" "$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "wd-admin $* exited $rc, expected $want; stderr: $(cat "$T/err")"
		return 1
	fi
	ok
}

err_has() {
	if grep -q -- "$1" "$T/err"; then ok; else fail "stderr lacks '$1': $(cat "$T/err")"; fi
}

out_has() {
	if grep -q -- "$1" "$T/out"; then ok; else fail "stdout lacks '$1': $(cat "$T/out")"; fi
}

# py EXPR...: python asserts on the JSON in $T/out (bound to j).
py() {
	if python3 - "$T/out" "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for e in sys.argv[2:]:
    if not eval(e):
        print("assertion failed: %s\njson: %s" % (e, json.dumps(j)))
        sys.exit(1)
PY
	then ok; else fail "JSON checks"; fi
}

valid_json() {
	if python3 -m json.tool "$T/out" >/dev/null; then ok; else fail "invalid JSON: $(cat "$T/out")"; fi
}

U1=6f1a2b3c-4d5e-4f60-8a71-92b3c4d5e6f7
U2=0e1d2c3b-4a59-4867-9564-738291a0b1c2
U3=11111111-2222-4333-8444-555555555555
BDF=0000:00:03.0
VF=0000:00:04.0

# attr DIR NAME VALUE
attr() {
	printf '%s\n' "$3" >"$1/$2"
}

# A PCI function bound to hisi_zip with an sdmdev parent; $3 = "new" gives
# it the queues/free_queues/owner attributes.
mk_parent() {
	r=$1 bdf=$2
	d=$r/devices/pci0000:00/$bdf
	mkdir -p "$d/sdmdev/$bdf" "$r/bus/pci/drivers/hisi_zip" "$r/class/sdmdev"
	ln -s ../../../bus/pci/drivers/hisi_zip "$d/driver"
	ln -s ../../../bus/pci "$d/subsystem"
	p=$d/sdmdev/$bdf
	ln -s ../../../$bdf "$p/device"
	ln -s "../../devices/pci0000:00/$bdf/sdmdev/$bdf" "$r/class/sdmdev/$bdf"
	attr "$p" name "hisi_zip PF queue"
	attr "$p" api hisi_qm_v2
	attr "$p" flags 0x3
	attr "$p" numa_node "$4"
	attr "$p" available_instances 62
	: >"$p/create"
	if [ "$3" = new ]; then
		attr "$p" queues 64
		attr "$p" free_queues 63
		attr "$p" owner 0
	fi
}

# mk_inst ROOT BDF UUID GROUP [QUEUE OWNER OPENS]
mk_inst() {
	r=$1 bdf=$2 u=$3
	i=$r/devices/pci0000:00/$bdf/$u
	mkdir -p "$i" "$r/bus/sdmdev/devices" "$r/kernel/iommu_groups/$4"
	ln -s "../../../devices/pci0000:00/$bdf/$u" "$r/bus/sdmdev/devices/$u"
	ln -s "../../../kernel/iommu_groups/$4" "$i/iommu_group"
	attr "$i" api hisi_qm_v2
	: >"$i/remove"
	if [ $# -gt 4 ]; then
		attr "$i" open $(($5 >= 0))
		attr "$i" queue "$5"
		attr "$i" owner "$6"
		attr "$i" opens "$7"
	fi
}

# ---- usage ------------------------------------------------------------------
run 0 "$T/none" --help && out_has "Usage: wd-admin"
run 0 "$T/none" --version && out_has "^wd-admin .* (libwd "
run 2 "$T/none"
run 2 "$T/none" frobnicate && err_has "unknown command 'frobnicate'"
run 2 "$T/none" list extra
run 2 "$T/none" --bogus list
run 2 "$T/none" list --count 2
run 2 "$T/none" create --count 0
run 2 "$T/none" create not-a-uuid

# ---- no sdmdev, sdmdev without devices --------------------------------------
mkdir -p "$T/none"
run 3 "$T/none" list && err_has "sdmdev is not loaded" && err_has "modprobe sdmdev"
[ -s "$T/out" ] && fail "output without sdmdev: $(cat "$T/out")"
run 3 "$T/none" status
run 3 "$T/none" create
mkdir -p "$T/empty/class/sdmdev"
run 4 "$T/empty" list && err_has "no device: sdmdev is loaded"
run 4 "$T/empty" --json list && valid_json && py 'j == {"parents": []}'
run 4 "$T/empty" create && err_has "no device"
run 4 "$T/empty" status

# ---- two functions ------------------------------------------------------------
R=$T/sys
mk_parent "$R" $BDF new 0
mk_parent "$R" $VF old 1
sleep 300 &
OWNER_PID=$!
CLEANUP_PIDS=$OWNER_PID
mk_inst "$R" $BDF $U1 3 5 $OWNER_PID 2
mk_inst "$R" $BDF $U2 4 -1 0 0
mk_inst "$R" $VF $U3 7
attr "$R/devices/pci0000:00/$BDF/sdmdev/$BDF" owner $OWNER_PID
mkdir -p "$R/kernel/debug/hisi_zip/$BDF"
printf 'queues: 64 from base 0, depth 1024\nqueue pairs in use: 2\neq entries: 17\n' \
	>"$R/kernel/debug/hisi_zip/$BDF/status"

run 0 "$R" list
out_has "^DEVICE .*DRIVER .*API .*NODE .*QUEUES .*FREE .*INST .*OPEN .*AVAIL .*FLAGS"
out_has "^$BDF  *hisi_zip  *hisi_qm_v2  *0  *64  *63  *2  *1  *62  *shared_mmio,noiommu$"
# the old module: no queue totals, instance state unknown
out_has "^$VF  *hisi_zip  *hisi_qm_v2  *1  *?  *?  *1  *0  *62  *shared_mmio,noiommu$"
[ "$(wc -l <"$T/out")" -eq 3 ] && ok || fail "list: $(cat "$T/out")"

run 0 "$R" --json list && valid_json
py 'len(j["parents"]) == 2' \
   'j["parents"][0]["name"] == "0000:00:03.0"' \
   'j["parents"][0]["pci_address"] == "0000:00:03.0"' \
   'j["parents"][0]["bus"] == "pci"' \
   'j["parents"][0]["driver"] == "hisi_zip"' \
   'j["parents"][0]["api"] == "hisi_qm_v2"' \
   'j["parents"][0]["description"] == "hisi_zip PF queue"' \
   'j["parents"][0]["flags"] == ["shared_mmio", "noiommu"]' \
   'j["parents"][0]["numa_node"] == 0' \
   'j["parents"][0]["queues"] == 64 and j["parents"][0]["free_queues"] == 63' \
   'j["parents"][0]["available_instances"] == 62' \
   'j["parents"][0]["open_instances"] == 1' \
   'j["parents"][0]["owner"]["comm"] == "sleep"' \
   '[i["uuid"] for i in j["parents"][0]["instances"]] == ["0e1d2c3b-4a59-4867-9564-738291a0b1c2", "6f1a2b3c-4d5e-4f60-8a71-92b3c4d5e6f7"]' \
   'j["parents"][0]["instances"][1]["open"] is True' \
   'j["parents"][0]["instances"][1]["queue"] == 5' \
   'j["parents"][0]["instances"][1]["device"] == "/dev/vfio/3"' \
   'j["parents"][0]["instances"][0]["open"] is False and j["parents"][0]["instances"][0]["queue"] is None' \
   'j["parents"][0]["instances"][0]["owner"] is None' \
   '"counters" not in j["parents"][0]' \
   'j["parents"][1]["queues"] is None and j["parents"][1]["owner"] is None' \
   'j["parents"][1]["numa_node"] == 1' \
   'j["parents"][1]["instances"][0]["open"] is None' \
   'j["parents"][1]["instances"][0]["vfio_group"] == 7'
py "j['parents'][0]['owner']['pid'] == $OWNER_PID" \
   "j['parents'][0]['instances'][1]['owner']['pid'] == $OWNER_PID"

run 0 "$R" status
out_has "^$BDF: hisi_zip PF queue (driver hisi_zip, api hisi_qm_v2, PCI $BDF), owner $OWNER_PID (sleep)$"
out_has "^    queue_pairs_in_use: 2$"
out_has "^    queues: 64 from base 0, depth 1024$"
out_has "^  $U1 /dev/vfio/3  *open  *5  *2  $OWNER_PID (sleep)$"
out_has "^  $U2 /dev/vfio/4  *closed  *-  *0  -$"
out_has "^$VF: .*owner ?$"
out_has "driver counters: none readable"
out_has "^  $U3 /dev/vfio/7  *?  *-  *?  ?$"

run 0 "$R" status $U1
out_has "^  $U1 "
grep -q "$U2\|$VF" "$T/out" && fail "status $U1 shows more: $(cat "$T/out")" || ok
run 0 "$R" status $VF
grep -q "$BDF" "$T/out" && fail "status $VF shows $BDF" || ok
run 4 "$R" status 0000:99:00.0 && err_has "0000:99:00.0: no such device or instance"
[ -s "$T/out" ] && fail "status of a typo printed: $(cat "$T/out")" || ok

run 0 "$R" -j status && valid_json
py 'j["parents"][0]["counters"] == {"queues": "64 from base 0, depth 1024", "queue_pairs_in_use": "2", "eq_entries": "17"}' \
   'j["parents"][1]["counters"] is None'
run 0 "$R" status --json $U3 && valid_json && py 'len(j["parents"]) == 1' \
	'j["parents"][0]["name"] == "0000:00:04.0"'

# ---- create -----------------------------------------------------------------
U4=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee
mk_inst "$R" $VF $U4 9	# what the kernel would have made
run 0 "$R" create -p $VF $U4 && out_has "^$U4 $VF /dev/vfio/9$"
[ "$(cat "$R/class/sdmdev/$VF/create")" = $U4 ] && ok || fail "create wrote '$(cat "$R/class/sdmdev/$VF/create")'"
run 0 "$R" --json create --parent=$VF $U4 && valid_json &&
	py "j == {'created': [{'uuid': '$U4', 'parent': '$VF', 'vfio_group': 9, 'device': '/dev/vfio/9'}]}"
# a random UUID on the first device with room
: >"$R/class/sdmdev/$BDF/create"
run 0 "$R" create
u=$(cat "$R/class/sdmdev/$BDF/create")
echo "$u" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' && ok ||
	fail "create wrote '$u'"
out_has "^$u $BDF -$"
run 0 "$R" create -n 3 -p $VF
[ "$(wc -l <"$T/out")" -eq 3 ] && ok || fail "create -n 3: $(cat "$T/out")"
[ "$(sort -u "$T/out" | wc -l)" -eq 3 ] && ok || fail "create -n 3 repeated a UUID"
run 2 "$R" create -n 2 $U4 && err_has "not both"
run 4 "$R" create -p 0000:99:00.0 && err_has "no such device"
attr "$R/class/sdmdev/$BDF" available_instances 0
attr "$R/class/sdmdev/$VF" available_instances 0
run 1 "$R" create && err_has "no device has a queue left"
rm "$R/class/sdmdev/$VF/create"
run 4 "$R" create -p $VF $U4 && err_has "$VF: no such device"

# ---- remove -----------------------------------------------------------------
run 0 "$R" remove $U2
[ "$(cat "$R/bus/sdmdev/devices/$U2/remove")" = 1 ] && ok || fail "remove wrote '$(cat "$R/bus/sdmdev/devices/$U2/remove")'"
[ -s "$T/out" ] && fail "remove printed: $(cat "$T/out")" || ok
run 4 "$R" remove 12345678-1234-4234-8234-123456789abc && err_has "no such instance"
run 4 "$R" remove -p $VF $U2 && err_has "no such instance of $VF"
run 2 "$R" remove
run 2 "$R" remove --all $U2
for u in $U1 $U2 $U3 $U4; do : >"$R/bus/sdmdev/devices/$u/remove"; done
run 0 "$R" -j remove --all -p $VF && valid_json &&
	py "sorted(j['removed']) == sorted(['$U3', '$U4'])"
[ -s "$R/bus/sdmdev/devices/$U1/remove" ] && fail "remove --all -p $VF touched $BDF" || ok
[ "$(cat "$R/bus/sdmdev/devices/$U3/remove")" = 1 ] && ok || fail "remove --all skipped $U3"
rm "$R/bus/sdmdev/devices/$U2/remove"
mkdir "$R/bus/sdmdev/devices/$U2/remove"
run 1 "$R" remove $U2 $U1 && err_has "$U2: remove: "
[ "$(cat "$R/bus/sdmdev/devices/$U1/remove")" = 1 ] && ok || fail "remove stopped at the first failure"

finish wd-admin
