/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model_internal.h - private state of the ZIP/QM model, shared by qm.c,
 * queue.c, engine.c, zip_engine.c and fault.c. Nothing here is visible to the
 * transport.
 *
 * Locking, in the order they may nest:
 *   zipm_fn.cpl_lock  - serialises completions (CQE/EQE/AEQE writes and the
 *                       interrupt that follows) of one function, so ring
 *                       entries land in guest memory in slot order.
 *   zipm.lock         - all register, queue, ring-pointer, stream-table and
 *                       fault state. Never held while calling a bus op.
 *   zstream.busy      - a flag under zipm.lock, not a mutex: a stream is used
 *                       by at most one request at a time.
 * A bus op (dma, irq) is only called while holding a reference on the
 * function (fn_get), which is what zipm_detach()/zipm_reset() wait for.
 */
#ifndef WD_TESTS_MODEL_INTERNAL_H
#define WD_TESTS_MODEL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

#include "zipmodel.h"

#define ZIPM_MAX_FNS		(ZIPM_MAX_VFS + 1)
#define ZIPM_SQE_SIZE		128
#define ZIPM_CQE_SIZE		16
#define ZIPM_CTX_SIZE		32
/* Largest input or output the engine handles in one request. */
#define ZIPM_MAX_REQ_BYTES	(16u << 20)
#define ZIPM_MAX_STREAMS	4096

/* ---- register offsets (BAR 2) ------------------------------------------ */
#define REG_AEQ_SRC		0x000
#define REG_AEQ_MASK		0x004
#define REG_EQ_SRC		0x008
#define REG_EQ_MASK		0x00c
#define REG_CACHE_WB_START	0x204
#define REG_CACHE_WB_DONE	0x208
#define REG_MB_BASE		0x300
#define REG_MB_DATA_L		0x304
#define REG_MB_DATA_H		0x308
#define REG_MB_END		0x310
#define REG_DB_SQCQ		0x1000
#define REG_DB_EQAEQ		0x2000

#define REG_ABN_SRC		0x100000
#define REG_ABN_MASK		0x100004
#define REG_ABN_STATUS		0x100008
#define REG_ABN_INF00		0x100010
#define REG_ABN_INF01		0x100014
#define REG_MEM_START_INIT	0x100040
#define REG_MEM_INIT_DONE	0x100044
#define REG_VFT_OP_ENABLE	0x100054
#define REG_VFT_OP_WR		0x100058
#define REG_VFT_TYPE		0x10005c
#define REG_VFT_FN		0x100060
#define REG_VFT_DATA_L		0x100064
#define REG_VFT_DATA_H		0x100068
#define REG_VFT_RDY		0x10006c
#define REG_IN_IDLE_ST		0x1040e4
#define REG_CORE_INT_SRC	0x3010a0
#define REG_CORE_INT_MASK	0x3010a4

#define ABN_ALL			0x1fff
#define ABN_AXI_RRESP		(1u << 0)
#define ABN_AXI_BRESP		(1u << 1)
#define ABN_CQ_VF_INVALID	(1u << 8)
#define ABN_SQ_VF_INVALID	(1u << 9)
#define ABN_DB_RANDOM_INVALID	(1u << 12)
#define CORE_ALL		0x7ff
#define CORE_AXI_RRESP		(1u << 2)
#define CORE_AXI_BRESP		(1u << 3)

/* mailbox w0 */
#define MB_CMD_MASK		0xff
#define MB_STATUS_SHIFT		9
#define MB_STATUS_MASK		(0xfu << MB_STATUS_SHIFT)
#define MB_BUSY			(1u << 13)
#define MB_OP_READ		(1u << 14)
enum { MB_SQC, MB_CQC, MB_EQC, MB_AEQC, MB_SQC_BT, MB_CQC_BT, MB_SQC_VFT };

/* doorbell commands */
enum { DB_SQ, DB_CQ, DB_EQ, DB_AEQ };

/* AEQE types (newer-kernel naming; see docs/hardware-model.md) */
#define AEQE_EQ_OVERFLOW	0
#define AEQE_CQ_OVERFLOW	1

/* ---- completion status (SQE dw3[7:0]) ------------------------------------ */
#define ZST_OK			0x00
#define ZST_BAD_REQ		0x01	/* model choice: unsupported field value */
#define ZST_AXI			0x02	/* model choice: DMA to/from data failed */
#define ZST_DATA		0x08	/* model choice: corrupt/truncated input */
#define ZST_NEGACOMP		0x0d
#define ZST_DSTLEN		0x0e
#define ZST_CRC			0x10
#define ZST_CTX			0x11	/* model choice: bad stream context */
#define ZST_DECOMP_END		0x13
#define ZST_LAST_BLOCK		0x100	/* dw3 bit 8 */

/* ---- SQE fields ------------------------------------------------------------ */
#define SQE_CONSUMED		0
#define SQE_PRODUCED		1
#define SQE_DW3			3
#define SQE_IN_LEN		4
#define SQE_DW7			7
#define SQE_DW9			9
#define SQE_TAG			13
#define SQE_DEST_AVAIL		14
#define SQE_CTX_DW0		15
#define SQE_SRC_L		18
#define SQE_DST_L		20
#define SQE_STREAM_CTX_L	22
#define SQE_ISIZE		30
#define SQE_CHECKSUM		31

#define DW7_FLUSH_FINISH	(1u << 25)
#define DW7_STATEFUL		(1u << 26)
#define DW7_NEW_STREAM		(1u << 27)

enum { REQ_DEFLATE = 1, REQ_ZLIB = 2, REQ_GZIP = 3 };

/* ---- little-endian helpers ------------------------------------------------ */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline uint32_t sqe_get(const uint8_t *sqe, unsigned int dw)
{
	return get_le32(sqe + 4 * dw);
}

static inline void sqe_set(uint8_t *sqe, unsigned int dw, uint32_t v)
{
	put_le32(sqe + 4 * dw, v);
}

static inline uint64_t sqe_get64(const uint8_t *sqe, unsigned int dw)
{
	return get_le64(sqe + 4 * dw);
}

/* ---- state ----------------------------------------------------------------- */

/* Sparse store for registers that only need to read back what was written. */
struct regstore {
	uint32_t *key;		/* offset + 1, 0 = empty slot */
	uint32_t *val;
	unsigned int cap;
	unsigned int used;
};

/* An event ring (EQ or AEQ) the model produces into. */
struct zring {
	bool valid;
	uint64_t base;
	uint32_t depth;
	uint32_t head;		/* driver's consumer index (doorbell) */
	uint32_t tail;		/* next slot the model writes */
	uint32_t used;		/* written and not yet released by a doorbell */
	uint8_t phase;		/* phase bit the model writes at tail */
};

/* One hardware queue pair; indexed by absolute queue number. */
struct zq {
	int owner;		/* function that programmed the SQC, or -1 */
	unsigned int qn;	/* owner-relative queue number */
	uint32_t gen;		/* bumped on reprogram/reset: drops old work */
	uint8_t sqc[ZIPM_CTX_SIZE];
	uint8_t cqc[ZIPM_CTX_SIZE];
	bool sqc_ok, cqc_ok;
	uint64_t sq_base;
	uint32_t sq_depth;
	bool decomp;		/* SQC alg_type 1 */
	uint32_t sq_head;	/* next SQE the engine will take */
	uint32_t sq_tail;	/* driver's tail (doorbell) */
	uint64_t cq_base;
	uint32_t cq_depth;
	uint32_t cq_head, cq_tail, cq_used;
	uint8_t cq_phase;
	bool cq_flag;		/* CQC dw6 bit1: post EQEs */
	bool busy;		/* an engine thread owns it */
	bool queued;		/* on the run list */
	bool cpl_pending;	/* result done, CQE waits for ring space */
	bool ovf_reported;	/* AEQE already sent for this stall */
	uint32_t cpl_idx;	/* SQE index of the pending completion */
	struct zq *next;	/* run list link */
};

struct zipm_fn {
	struct zipm *m;
	unsigned int idx;
	bool exists;
	bool attached;
	bool stopping;		/* reset/detach waiting for users to drain */
	unsigned int users;	/* bus-op callers in flight */
	struct zipm_bus_ops ops;
	void *opaque;
	pthread_mutex_t cpl_lock;

	uint32_t eq_mask, aeq_mask;
	bool eq_src, aeq_src;
	uint32_t cache_wb_done;
	uint8_t mb[16];
	uint32_t db_low[2];	/* first half of a split doorbell write */
	bool db_low_valid[2];
	uint8_t eqc[ZIPM_CTX_SIZE], aeqc[ZIPM_CTX_SIZE];
	struct zring eq, aeq;
	uint64_t sqc_bt, cqc_bt;
	struct regstore store;
};

struct zfault {
	bool hung;
	unsigned int fail_left;
	uint8_t fail_status;
	unsigned int corrupt_left;
	unsigned int stall_left;	/* empty stateful decompressions stall */
	uint64_t done;
	uint64_t per_status[256];
	uint64_t cqe_posted;
	uint64_t irqs[ZIPM_PF_VECTORS];
};

struct zstream;

struct zipm {
	pthread_mutex_t lock;
	pthread_cond_t work_cv;	/* engine threads wait for runnable queues */
	pthread_cond_t idle_cv;	/* reset/detach wait for fn users == 0 */
	unsigned int num_fns;
	struct zipm_fn fn[ZIPM_MAX_FNS];

	/* PF-global registers */
	uint64_t vft[2][ZIPM_MAX_FNS];	/* [0] SQC VFT, [1] CQC VFT */
	struct zipm_qrange vf_preset[ZIPM_MAX_VFS];	/* zipm_params.vf_queues */
	uint32_t abn_src, abn_mask, abn_inf01;
	uint32_t mem_init_done, vft_rdy;
	uint32_t core_src, core_mask;

	struct zq q[ZIPM_QUEUES];
	struct zq *run_head, *run_tail;

	struct zstream *streams;
	unsigned int nstreams;
	uint32_t next_stream_id;

	pthread_t *threads;
	unsigned int nthreads;
	bool shutdown;

	struct zfault fault;
};

/* Interrupts raised while zipm.lock is held are collected and fired after. */
struct irqbatch {
	unsigned int n;
	struct zipm_fn *f[8];
	unsigned int vec[8];
};

/* qm.c */
bool fn_get_locked(struct zipm_fn *f);
void fn_put(struct zipm_fn *f);
void irq_defer(struct irqbatch *b, struct zipm_fn *f, unsigned int vec);
void irq_flush(struct zipm *m, struct irqbatch *b);
/*
 * Give VF @fn queues [base, base + num) now and after every PF reset, as the
 * host's PF driver does for a VF it hands to a VM; num == 0 takes them away.
 */
int vf_preset_locked(struct zipm *m, unsigned int fn, unsigned int base,
		     unsigned int num);
void abnormal_raise_locked(struct zipm *m, uint32_t bits, unsigned int fn,
			   struct irqbatch *b);
void core_error_raise_locked(struct zipm *m, uint32_t bits,
			     struct irqbatch *b);
int dma_read_chunked(struct zipm_fn *f, uint64_t iova, void *buf, size_t len);
int dma_write_chunked(struct zipm_fn *f, uint64_t iova, const void *buf,
		      size_t len);

/* queue.c */
void fn_qrange(const struct zipm *m, unsigned int fn, unsigned int *base,
	       unsigned int *num);
struct zq *fn_queue(struct zipm_fn *f, unsigned int qn);
void mailbox_exec_locked(struct zipm_fn *f, struct irqbatch *b);
void doorbell_locked(struct zipm_fn *f, uint64_t v, struct irqbatch *b);
void queue_kick_locked(struct zipm *m, struct zq *q);
bool queue_runnable_locked(struct zipm *m, struct zq *q);
void queue_clear_locked(struct zq *q);
void fn_queues_stop_locked(struct zipm_fn *f);
void fn_queues_kick_locked(struct zipm_fn *f);
void eq_mask_write_locked(struct zipm_fn *f, bool aeq, uint32_t v,
			  struct irqbatch *b);
void complete_request(struct zipm_fn *f, struct zq *q, uint32_t gen,
		      uint32_t sq_idx);

/* engine.c */
int engine_start(struct zipm *m, unsigned int nthreads);
void engine_stop(struct zipm *m);

/* zip_engine.c */
void zip_process(struct zipm_fn *f, struct zq *q, uint8_t *sqe);
void streams_free_fn_locked(struct zipm *m, unsigned int fn);

/* fault.c */
bool fault_take_fail_locked(struct zipm *m, uint8_t *status);
bool fault_take_corrupt_locked(struct zipm *m);
bool fault_take_stall_locked(struct zipm *m);
void fault_count_locked(struct zipm *m, uint8_t status);

/* regstore (qm.c) */
void regstore_free(struct regstore *s);

#endif /* WD_TESTS_MODEL_INTERNAL_H */
