/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * wd_acomp_bench.h - the ioctls of the VM bench's kernel baseline module
 * (wd_acomp_bench.c), shared with its user, tests/vm/guest/progs/wd-bench.c.
 * Test-only: not part of WarpDrive's ABI.
 */
#ifndef WD_ACOMP_BENCH_H
#define WD_ACOMP_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define WD_ACOMP_BENCH_NAME	"wd_acomp_bench"
#define WD_ACOMP_BENCH_MAX_SRC	(128 * 1024)
#define WD_ACOMP_BENCH_MAX_DST	(256 * 1024)

/*
 * Bind this open file to an acomp algorithm (crypto_alloc_acomp(@alg));
 * once per open. On return @driver names the implementation chosen.
 */
struct wd_acomp_bench_bind {
	char alg[64];
	char driver[64];
};

/* One request: compress (op 0) or decompress (op 1) src into dst. */
struct wd_acomp_bench_req {
	__u64 src;		/* user address */
	__u64 dst;		/* user address */
	__u32 src_len;
	__u32 dst_len;		/* in: room at dst; out: bytes produced */
	__u32 op;
	__u32 pad;		/* 0 */
};

#define WD_ACOMP_BENCH_BIND	_IOWR('W', 0xb0, struct wd_acomp_bench_bind)
#define WD_ACOMP_BENCH_RUN	_IOWR('W', 0xb1, struct wd_acomp_bench_req)

#endif /* WD_ACOMP_BENCH_H */
