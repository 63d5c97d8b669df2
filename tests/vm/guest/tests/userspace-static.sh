# SPDX-License-Identifier: GPL-2.0
# The guest runs our user space as built for its architecture (static).
set -e
out=$(wd-admin --version)
echo "$out"
case $out in "wd-admin "*" (libwd "*")") ;; *) echo "unexpected: $out"; exit 1 ;; esac
# hisi_zip registers every ZIP function with sdmdev: 'list' shows them;
# without the device model there is none and 'list' says so, exit 4.
zip=""
for d in /sys/bus/pci/devices/*; do
	# an unbound one (the bench's VF before hzip-vf) is not registered
	[ "$(cat "$d/vendor")" = 0x19e5 ] && [ -e "$d/driver" ] && zip="$zip $(basename "$d")"
done
if [ -n "$zip" ]; then
	out=$(wd-admin list)
	echo "$out"
	for f in $zip; do
		echo "$out" | grep -q "$f" || { echo "list lacks $f"; exit 1; }
	done
else
	rc=0
	wd-admin list 2>/tmp/err || rc=$?
	[ $rc -eq 4 ] || { echo "list with no devices exited $rc, want 4"; exit 1; }
	grep -q "no device: sdmdev is loaded" /tmp/err
fi
