# SPDX-License-Identifier: GPL-2.0
# needs: model
# The VF (19e5:a251) as a virtual machine sees one: its queue share was set
# by the host's PF driver (here the model plays the host: 'wd-model
# vf-queues'), and hisi_zip reads it back through the mailbox. The bench
# attaches the first model's VF 1 with no share, so at boot the probe is
# refused with a clear message and the VF stays unbound for every other
# test. Here: the refusal; a share far above the PF's queues (base 960, out
# of reach of a 6-bit base field) is read back whole; the probe self-test
# and the debugfs ring self-test run on the VF's own queues; user space gets
# a queue of the VF through sdmdev; the VF survives the PF's unbind; ten
# rebinds leave no queue in use. Afterwards the VF is unbound and its share
# taken back.
set -e
. hzip-testlib
. sdmdev-testlib
hzip_find_pf
drv=/sys/bus/pci/drivers/hisi_zip
vf=""
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x19e5 ] && [ "$(cat "$d/device")" = 0xa251 ] && { vf=$d; break; }
done
[ -n "$vf" ] || { echo "no ZIP VF"; exit 1; }
vbdf=$(basename "$vf")
vdir=/sys/kernel/debug/hisi_zip/$vbdf
# The PF reports the errors of its VFs too: none new during this test.
# Counted from where they stand (fault tests before this one inject some);
# the PF's rebind in 4. starts them again.
hzip_abnormal_mark

cleanup() {
	[ -e "$drv/$bdf" ] || echo "$bdf" >$drv/bind 2>/dev/null || true
	[ -e "$drv/$vbdf" ] && echo "$vbdf" >$drv/unbind
	wd-model vf-queues 1 0 0 >/dev/null || true
}
trap cleanup EXIT

# 1. No share from the PF: refused at boot and on a new bind, clearly.
[ ! -e "$drv/$vbdf" ] || { echo "VF bound without a queue share"; exit 1; }
dmesg | grep -q "hisi_zip $vbdf: no queues assigned to this VF by the PF" ||
	{ echo "no refusal message for $vbdf"; dmesg | grep "$vbdf" | tail -n 5; exit 1; }
if echo "$vbdf" >$drv/bind 2>/dev/null; then
	echo "bind without a queue share succeeded"; exit 1
fi

# 2. The host gives VF 1 queues 960..1023: the whole base comes back.
wd-model vf-queues 1 960 64
echo "$vbdf" >$drv/bind
grep "^queues:" "$vdir/status"
grep -q "^queues: 64 from base 960," "$vdir/status" ||
	{ echo "VF queue share not read back"; cat "$vdir/status"; exit 1; }
dmesg | grep "hisi_zip $vbdf: selftest" | tail -n 1 | grep -q "selftest passed" ||
	{ echo "VF probe self-test did not pass"; dmesg | grep "$vbdf" | tail -n 10; exit 1; }
[ "$(cat "$vdir/selftest")" = passed ] || { echo "VF ring self-test failed"; exit 1; }
grep -qx "queue pairs in use: 0" "$vdir/status" || { cat "$vdir/status"; exit 1; }

# 3. User space on the VF's queues, through sdmdev.
P=/sys/class/sdmdev/$vbdf
BDF=$vbdf
[ "$(cat "$P/name")" = "hisi_zip VF queue" ] || { echo "VF parent name: $(cat "$P/name")"; exit 1; }
[ "$(cat "$P/api")" = hisi_qm_v2 ] || { echo "VF parent api: $(cat "$P/api")"; exit 1; }
sdm_create "$U1"
sdmdev-open "$U1" zip
sdm_queues_idle
sdm_remove "$U1"

# 4. The PF's unbind does not take the VF's queues (the host keeps them).
hzip_no_new_abnormal
echo "$bdf" >$drv/unbind
[ "$(cat "$vdir/selftest")" = passed ] || { echo "VF self-test failed without the PF"; exit 1; }
echo "$bdf" >$drv/bind
hzip_abnormal_mark

# 5. Rebind the VF ten times: every probe self-test passes, nothing in use.
i=0
before=$(dmesg | grep -c "hisi_zip $vbdf: selftest passed" || true)
while [ $i -lt 10 ]; do
	echo "$vbdf" >$drv/unbind
	echo "$vbdf" >$drv/bind
	i=$((i + 1))
done
after=$(dmesg | grep -c "hisi_zip $vbdf: selftest passed" || true)
[ $((after - before)) -eq 10 ] || { echo "$((after - before)) of 10 rebinds passed the self-test"; exit 1; }
grep -qx "queue pairs in use: 0" "$vdir/status" || { cat "$vdir/status"; exit 1; }
hzip_no_new_abnormal
echo "VF $vbdf ok"
