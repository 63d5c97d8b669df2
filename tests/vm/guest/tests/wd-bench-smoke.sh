# SPDX-License-Identifier: GPL-2.0
# needs: model
# tests/bench/run's guest half, tiny (wd-bench-run --smoke, about 0.3 s per
# figure): every measurement runs and every result inflates back, libwd's
# polling mode makes no system call per request (counted with ptrace), the
# acomp baseline exactly one ioctl per request, and wd_acomp_bench.ko
# loads, binds hisi_zip's deflate and unloads.
set -e
wd-bench-run --smoke >/tmp/bench.out 2>&1 || { cat /tmp/bench.out; exit 1; }
cat /tmp/bench.out
for size in 4096 65536; do
	grep -q "^syscalls poll size=$size requests=20 syscalls=0 " /tmp/bench.out ||
		{ echo "polling mode, $size bytes: system calls"; exit 1; }
	grep -q "^syscalls acomp:hisi-deflate-acomp size=$size requests=20 syscalls=20 per-request=1.000 ioctl:20$" /tmp/bench.out ||
		{ echo "acomp, $size bytes: not one ioctl per request"; exit 1; }
	grep -q "^acomp hisi-deflate-acomp (hisi-deflate-acomp) size=$size " /tmp/bench.out ||
		{ echo "acomp, $size bytes: not on hisi_zip"; exit 1; }
done
! grep -q wd_acomp_bench /proc/modules
