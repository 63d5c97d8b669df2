/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check_zipmodel.h - test harness for the model core: a fake bus (flat guest
 * memory, interrupt recorder) and helpers that replay the driver's register
 * sequences.
 */
#ifndef WD_TESTS_CHECK_ZIPMODEL_H
#define WD_TESTS_CHECK_ZIPMODEL_H

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zipmodel.h"

#define T_MEM_BASE	0x100000000ull	/* guest IOVA space starts at 4 GiB */
#define T_DEPTH		1024
#define T_MAXQ		8

/* Mirrors of the model's status codes, as a driver would define them. */
#define T_ST_OK		0x00
#define T_ST_BAD_REQ	0x01
#define T_ST_AXI	0x02
#define T_ST_DATA	0x08
#define T_ST_NEGACOMP	0x0d
#define T_ST_DSTLEN	0x0e
#define T_ST_CRC	0x10
#define T_ST_CTX	0x11
#define T_ST_END	0x13
#define T_LAST_BLOCK	0x100

#define T_DW7_FINISH	(1u << 25)
#define T_DW7_STATEFUL	(1u << 26)
#define T_DW7_NEW	(1u << 27)

struct tq {
	bool used;
	uint64_t sq, cq;
	uint32_t depth, cq_depth;
	uint32_t sq_tail, cq_head;
	uint8_t cq_phase;
	bool flag;
};

struct tdev {
	struct zipm *m;
	struct zipm_fn *f;
	unsigned int fn;
	/* fake guest memory */
	pthread_mutex_t mem_lock;
	uint8_t *mem;
	size_t mem_size, brk;
	bool detached;		/* a callback after detach is a test failure */
	unsigned int late_calls;
	/* interrupts */
	pthread_mutex_t irq_lock;
	pthread_cond_t irq_cv;
	unsigned int irqs[ZIPM_PF_VECTORS];
	/* driver-side ring state */
	uint64_t eq, aeq;
	uint32_t eq_head, aeq_head;
	uint8_t eq_phase, aeq_phase;
	unsigned int eqes[T_MAXQ];	/* EQEs seen per queue */
	struct tq q[T_MAXQ];
};

struct treq {
	unsigned int type;	/* 1 raw, 2 zlib, 3 gzip */
	uint32_t dw7;
	uint64_t src;
	uint32_t in_len;
	uint64_t dst;
	uint32_t dest_len;
	uint64_t ctx;
	uint32_t isize, cksum;	/* dw30/dw31 carried in */
	uint32_t tag;
	uint32_t dw9_extra;	/* OR-ed into dw9 (buffer type) */
	/* results */
	uint32_t consumed, produced, dw3, ctx_dw0;
	uint32_t out_isize, out_cksum, out_tag;
	uint8_t sqe[128];
};

/* fake bus */
struct zipm *t_model(unsigned int num_vfs);
void t_dev_init(struct tdev *d, struct zipm *m, unsigned int fn,
		size_t mem_size);
void t_dev_fini(struct tdev *d);
/* Attach the same fake bus again after zipm_detach(). */
void t_reattach(struct tdev *d);
uint64_t t_alloc(struct tdev *d, size_t size, size_t align);
void t_mem_write(struct tdev *d, uint64_t iova, const void *p, size_t n);
void t_mem_read(struct tdev *d, uint64_t iova, void *p, size_t n);
unsigned int t_irqs(struct tdev *d, unsigned int vec);
bool t_wait_irq(struct tdev *d, unsigned int vec, unsigned int count,
		unsigned int ms);

/* registers */
uint32_t t_r32(struct tdev *d, uint64_t off);
void t_w32(struct tdev *d, uint64_t off, uint32_t v);
void t_w64(struct tdev *d, uint64_t off, uint64_t v);
uint16_t t_mb(struct tdev *d, unsigned int cmd, unsigned int qn,
	      uint64_t addr, bool read);
void t_db(struct tdev *d, unsigned int qn, unsigned int cmd, uint32_t idx,
	  unsigned int prio);

/* driver sequences */
uint64_t t_vft_word(unsigned int base, unsigned int num);
void t_pf_setup(struct tdev *pf, unsigned int qbase, unsigned int qnum);
void t_set_vft(struct tdev *pf, unsigned int fn, unsigned int base,
	       unsigned int num);
void t_fn_start(struct tdev *d);
void t_queue_start_ex(struct tdev *d, unsigned int qn, bool decomp,
		      uint32_t depth, uint32_t cq_depth, bool flag);
void t_queue_start(struct tdev *d, unsigned int qn, bool decomp);
void t_submit(struct tdev *d, unsigned int qn, const uint8_t *sqe);
/* Consume every valid EQE, counting them per queue, and ring the EQ. */
void t_drain_eq(struct tdev *d);
bool t_wait_cqe(struct tdev *d, unsigned int qn, unsigned int ms,
		uint16_t *sq_head);
void t_fill_sqe(uint8_t *sqe, const struct treq *r);
void t_read_result(struct tdev *d, unsigned int qn, uint16_t idx,
		   struct treq *r);
/* Submit one request on @qn, wait for it, fill in the results. */
void t_run(struct tdev *d, unsigned int qn, struct treq *r);
/* Convenience: a started PF with queue 0 compress and queue 1 decompress. */
void t_std_pf(struct tdev *d, struct zipm **m);

/* data */
void t_gen_text(uint8_t *p, size_t n, unsigned int seed);
void t_gen_random(uint8_t *p, size_t n, unsigned int seed);
size_t t_hdr_len(unsigned int type);
void t_put_hdr(unsigned int type, uint8_t *p);
/* zlib reference: full stream incl. header; returns length */
size_t t_ref_compress(unsigned int type, const uint8_t *in, size_t n,
		      uint8_t *out, size_t cap);
/* zlib reference inflate of a full stream; returns -1 on error */
long t_ref_inflate(unsigned int type, const uint8_t *in, size_t n,
		   uint8_t *out, size_t cap);

/* suites */
Suite *qm_suite(void);
Suite *zip_suite(void);
Suite *fault_suite(void);

#endif /* WD_TESTS_CHECK_ZIPMODEL_H */
