# SPDX-License-Identifier: GPL-2.0
# needs: model
# hisi_zip registers "deflate" and "zlib-deflate" with the crypto API when it
# binds its first ZIP function, and both pass the kernel's own self-tests at
# registration: /proc/crypto says "selftest : passed" for each driver name,
# their priority beats the software implementations, and the kernel log has
# no "alg: ... failed" line. Then requests through the API: 1 MiB round
# trips with -ENOSPC, corrupt and empty inputs checked.
set -e
. hzip-testlib
hzip_find_pf

# The /proc/crypto block of one driver name, as "key=value" lines.
block() {
	awk -v d="$1" '
		function flush() { if (drv == d) printf "%s", b; b = ""; drv = "" }
		/^$/ { flush(); next }
		{ k = $1; v = $0; sub(/^[^:]*: */, "", v); b = b k "=" v "\n" }
		$1 == "driver" { drv = v }
		END { flush() }' /proc/crypto
}
algs=""
for alg in deflate zlib-deflate; do
	drv=hisi-$alg-acomp
	b=$(block "$drv")
	echo "$drv: $(echo "$b" | tr '\n' ' ')"
	# 7.x cores want a synchronous software fallback; none for zlib-deflate.
	if [ -z "$b" ] && dmesg | grep -q "$drv needs a software $alg fallback"; then
		echo "  not offered: no software $alg on this kernel"
		continue
	fi
	algs="$algs $alg"
	echo "$b" | grep -qx "name=$alg" || { echo "$drv not registered"; exit 1; }
	echo "$b" | grep -qx "selftest=passed" || { echo "$drv: self-test not passed"; exit 1; }
	echo "$b" | grep -qx "type=acomp" || { echo "$drv: not an acomp"; exit 1; }
	prio=$(echo "$b" | sed -n 's/^priority=//p')
	# Every other implementation of the name must rank below ours.
	others=$(awk -v n="$alg" -v d="$drv" '
		/^name/ { name = $3 } /^driver/ { drv = $3 }
		/^priority/ && name == n && drv != d { print drv "=" $3 }' /proc/crypto)
	for o in $others; do
		[ "${o#*=}" -lt "$prio" ] || { echo "$o outranks $drv ($prio)"; exit 1; }
	done
	echo "  others: ${others:-none}"
done
if dmesg | grep -E "alg: .*(failed|hisi-)" | grep -v "No test for"; then
	echo "the crypto self-tests complained"; exit 1
fi
dmesg | grep -E "alg: No test for .*hisi-" || true

# Requests through the API (debugfs acomp_test runs them on a transform).
case $algs in *" deflate"*) ;; *) echo "deflate not offered"; exit 1 ;; esac
for alg in $algs; do
	for len in 1 4096 1048576; do
		echo "rt $alg $len" >"$dir/acomp_test" || { cat "$dir/acomp_test"; exit 1; }
		cat "$dir/acomp_test"
	done
	echo "rt $alg 65536 random" >"$dir/acomp_test" || { cat "$dir/acomp_test"; exit 1; }
	cat "$dir/acomp_test"
done
grep . /sys/kernel/debug/hisi_zip/*/acomp
big=0
for f in /sys/kernel/debug/hisi_zip/*/acomp; do
	big=$((big + $(sed -n 's/^large buffers: //p' "$f")))
done
[ "$big" -gt 0 ] || { echo "no large request seen"; exit 1; }
