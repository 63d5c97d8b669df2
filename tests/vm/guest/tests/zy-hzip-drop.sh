# SPDX-License-Identifier: GPL-2.0
# needs: model
# The function disappears (the model's transport drops it; QEMU does not
# reconnect, so this runs after every other device test): a request on a
# transform made before fails (-ETIMEDOUT), its queue cannot be replaced
# and later requests fail at once (-ENODEV); a new transform cannot start a
# queue (-EBUSY from the mailbox); unbind completes. No hang, no oops (the
# bench's kernel-log check covers WARN/BUG); zz-modules-unload then unloads.
set -e
. hzip-testlib
hzip_find_pf
t=/sys/kernel/debug/hisi_zip/$bdf/acomp_test
echo 1000 >/sys/module/hisi_zip/parameters/acomp_timeout_ms
echo "hold deflate" >$t
echo "rt deflate 4096" >$t || { cat $t; exit 1; }

wd-model drop 0
if echo "comp deflate 4096" >$t; then echo "request on a gone device succeeded"; exit 1; fi
cat $t
grep -qE ": -(110|19)$" $t || exit 1
if echo "comp deflate 4096" >$t; then echo "second request succeeded"; exit 1; fi
cat $t
grep -q ": -19$" $t || { echo "want -ENODEV once the queue is gone"; exit 1; }
echo "drop" >$t
if echo "comp deflate 4096" >$t; then echo "new transform on a gone device worked"; exit 1; fi
cat $t
dmesg | grep "hisi_zip $bdf" | tail -n 8
echo $bdf >/sys/bus/pci/drivers/hisi_zip/unbind
[ ! -e /sys/bus/pci/drivers/hisi_zip/$bdf ] || { echo "still bound"; exit 1; }
grep -q hisi_zip /proc/interrupts && { echo "vectors left after unbind"; exit 1; }
echo "gone device handled"
