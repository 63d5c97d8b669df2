// SPDX-License-Identifier: GPL-2.0
/*
 * qm.c - model lifecycle, BAR access decoding and the plain QM registers
 * (interrupt source/mask, cache write-back, memory init, VFT programming,
 * abnormal/RAS). Mailbox, doorbells and rings live in queue.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* ---- register store ---------------------------------------------------- */

static unsigned int regstore_slot(const struct regstore *s, uint32_t off)
{
	unsigned int i = (off >> 2) * 2654435761u;

	for (i &= s->cap - 1; s->key[i] && s->key[i] != off + 1;
	     i = (i + 1) & (s->cap - 1))
		;
	return i;
}

static uint32_t regstore_get(const struct regstore *s, uint32_t off)
{
	unsigned int i;

	if (!s->cap)
		return 0;
	i = regstore_slot(s, off);
	return s->key[i] ? s->val[i] : 0;
}

static void regstore_grow(struct regstore *s)
{
	struct regstore n = { .cap = s->cap ? s->cap * 2 : 64 };
	unsigned int i;

	n.key = calloc(n.cap, sizeof(*n.key));
	n.val = calloc(n.cap, sizeof(*n.val));
	if (!n.key || !n.val) {
		/* Out of memory: keep the old table, the write is dropped. */
		free(n.key);
		free(n.val);
		return;
	}
	for (i = 0; i < s->cap; i++) {
		if (s->key[i]) {
			unsigned int j = regstore_slot(&n, s->key[i] - 1);

			n.key[j] = s->key[i];
			n.val[j] = s->val[i];
			n.used++;
		}
	}
	regstore_free(s);
	*s = n;
}

static void regstore_set(struct regstore *s, uint32_t off, uint32_t v)
{
	unsigned int i;

	if ((s->used + 1) * 2 > s->cap)
		regstore_grow(s);
	if ((s->used + 1) * 2 > s->cap)
		return;
	i = regstore_slot(s, off);
	if (!s->key[i]) {
		s->key[i] = off + 1;
		s->used++;
	}
	s->val[i] = v;
}

void regstore_free(struct regstore *s)
{
	free(s->key);
	free(s->val);
	memset(s, 0, sizeof(*s));
}

/* ---- function references and interrupts ---------------------------------- */

bool fn_get_locked(struct zipm_fn *f)
{
	if (!f->attached || f->stopping)
		return false;
	f->users++;
	return true;
}

void fn_put(struct zipm_fn *f)
{
	struct zipm *m = f->m;

	pthread_mutex_lock(&m->lock);
	if (--f->users == 0)
		pthread_cond_broadcast(&m->idle_cv);
	pthread_mutex_unlock(&m->lock);
}

void irq_defer(struct irqbatch *b, struct zipm_fn *f, unsigned int vec)
{
	if (b->n == sizeof(b->f) / sizeof(b->f[0]) || !fn_get_locked(f))
		return;
	b->f[b->n] = f;
	b->vec[b->n] = vec;
	b->n++;
}

/* Called without zipm.lock. */
void irq_flush(struct zipm *m, struct irqbatch *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		b->f[i]->ops.irq(b->f[i]->opaque, b->vec[i]);
		pthread_mutex_lock(&m->lock);
		if (b->vec[i] < ZIPM_PF_VECTORS)
			m->fault.irqs[b->vec[i]]++;
		pthread_mutex_unlock(&m->lock);
		fn_put(b->f[i]);
	}
	b->n = 0;
}

/* Abnormal errors are reported on the PF, whoever caused them. */
void abnormal_raise_locked(struct zipm *m, uint32_t bits, unsigned int fn,
			   struct irqbatch *b)
{
	bits &= ABN_ALL;
	m->abn_src |= bits;
	m->abn_inf01 = fn & 0x3f;
	if (bits & ~m->abn_mask)
		irq_defer(b, &m->fn[0], ZIPM_VEC_ABNORMAL);
}

void core_error_raise_locked(struct zipm *m, uint32_t bits,
			     struct irqbatch *b)
{
	bits &= CORE_ALL;
	m->core_src |= bits;
	if (bits & ~m->core_mask)
		irq_defer(b, &m->fn[0], ZIPM_VEC_ABNORMAL);
}

/*
 * Large transfers are split at 1 MiB boundaries of the IOVA space so that a
 * transport with per-message size limits never sees a huge request.
 */
#define DMA_CHUNK	(1u << 20)

static int dma_chunked(struct zipm_fn *f, uint64_t iova, uint8_t *p,
		       size_t len, bool write)
{
	while (len) {
		size_t n = DMA_CHUNK - (iova & (DMA_CHUNK - 1));
		int ret;

		if (n > len)
			n = len;
		if (write)
			ret = f->ops.dma_write(f->opaque, iova, p, n);
		else
			ret = f->ops.dma_read(f->opaque, iova, p, n);
		if (ret)
			return ret < 0 ? ret : -EIO;
		iova += n;
		p += n;
		len -= n;
	}
	return 0;
}

int dma_read_chunked(struct zipm_fn *f, uint64_t iova, void *buf, size_t len)
{
	return dma_chunked(f, iova, buf, len, false);
}

int dma_write_chunked(struct zipm_fn *f, uint64_t iova, const void *buf,
		      size_t len)
{
	/* dma_write only reads the buffer */
	return dma_chunked(f, iova, (uint8_t *)buf, len, true);
}

/* ---- register reset ---------------------------------------------------------- */

static void fn_regs_reset_locked(struct zipm_fn *f)
{
	f->eq_mask = 1;
	f->aeq_mask = 1;
	f->eq_src = false;
	f->aeq_src = false;
	f->cache_wb_done = 0;
	memset(f->mb, 0, sizeof(f->mb));
	memset(f->db_low_valid, 0, sizeof(f->db_low_valid));
	memset(f->eqc, 0, sizeof(f->eqc));
	memset(f->aeqc, 0, sizeof(f->aeqc));
	memset(&f->eq, 0, sizeof(f->eq));
	memset(&f->aeq, 0, sizeof(f->aeq));
	f->sqc_bt = 0;
	f->cqc_bt = 0;
	regstore_free(&f->store);
}

/* The V2 VFT words for queues [base, base + num) (facts sheet layout). */
static void vft_set_locked(struct zipm *m, unsigned int fn, unsigned int base,
			   unsigned int num)
{
	m->vft[0][fn] = (uint64_t)base << 28 | 1ull << 44 |
			(uint64_t)(num - 1) << 45;
	m->vft[1][fn] = 1ull << 28;
}

int vf_preset_locked(struct zipm *m, unsigned int fn, unsigned int base,
		     unsigned int num)
{
	if (fn < 1 || fn >= m->num_fns || num > ZIPM_QUEUES ||
	    base > ZIPM_QUEUES - num)
		return -EINVAL;
	m->vf_preset[fn - 1].base = num ? base : 0;
	m->vf_preset[fn - 1].num = num;
	if (num) {
		vft_set_locked(m, fn, base, num);
	} else {
		m->vft[0][fn] = 0;
		m->vft[1][fn] = 0;
	}
	return 0;
}

static void global_regs_reset_locked(struct zipm *m)
{
	unsigned int i;

	memset(m->vft, 0, sizeof(m->vft));
	for (i = 0; i + 1 < m->num_fns; i++)
		if (m->vf_preset[i].num)
			vft_set_locked(m, i + 1, m->vf_preset[i].base,
				       m->vf_preset[i].num);
	m->abn_src = 0;
	m->abn_mask = ABN_ALL;
	m->abn_inf01 = 0;
	m->mem_init_done = 0;
	m->vft_rdy = 1;
	m->core_src = 0;
	m->core_mask = CORE_ALL;
}

/* Stop the function's queues and wait until no engine thread uses it. */
static void fn_quiesce_locked(struct zipm_fn *f)
{
	struct zipm *m = f->m;

	while (f->stopping)	/* a concurrent reset or detach */
		pthread_cond_wait(&m->idle_cv, &m->lock);
	f->stopping = true;
	fn_queues_stop_locked(f);
	while (f->users)
		pthread_cond_wait(&m->idle_cv, &m->lock);
	streams_free_fn_locked(m, f->idx);
}

/* ---- lifecycle ------------------------------------------------------------------ */

struct zipm *zipm_new(const struct zipm_params *params)
{
	struct zipm *m;
	unsigned int i, threads;

	if (!params || params->num_vfs > ZIPM_MAX_VFS)
		return NULL;
	for (i = 0; i < params->num_vfs; i++) {
		const struct zipm_qrange *r = &params->vf_queues[i];

		if (r->num > ZIPM_QUEUES || r->base > ZIPM_QUEUES - r->num)
			return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->work_cv, NULL);
	pthread_cond_init(&m->idle_cv, NULL);
	m->num_fns = params->num_vfs + 1;
	memcpy(m->vf_preset, params->vf_queues, sizeof(m->vf_preset));
	for (i = 0; i < ZIPM_MAX_FNS; i++) {
		struct zipm_fn *f = &m->fn[i];

		f->m = m;
		f->idx = i;
		f->exists = i < m->num_fns;
		pthread_mutex_init(&f->cpl_lock, NULL);
		fn_regs_reset_locked(f);
	}
	for (i = 0; i < ZIPM_QUEUES; i++)
		queue_clear_locked(&m->q[i]);
	global_regs_reset_locked(m);

	threads = params->engine_threads ? params->engine_threads : 2;
	if (threads > 64)
		threads = 64;
	if (engine_start(m, threads)) {
		zipm_free(m);
		return NULL;
	}
	return m;
}

void zipm_free(struct zipm *m)
{
	unsigned int i;

	if (!m)
		return;
	engine_stop(m);
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < ZIPM_MAX_FNS; i++)
		streams_free_fn_locked(m, i);
	pthread_mutex_unlock(&m->lock);
	for (i = 0; i < ZIPM_MAX_FNS; i++) {
		regstore_free(&m->fn[i].store);
		pthread_mutex_destroy(&m->fn[i].cpl_lock);
	}
	pthread_cond_destroy(&m->idle_cv);
	pthread_cond_destroy(&m->work_cv);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct zipm_fn *zipm_attach(struct zipm *m, unsigned int fn,
			    const struct zipm_bus_ops *ops, void *opaque)
{
	struct zipm_fn *f;

	if (!m || fn >= m->num_fns || !ops || !ops->dma_read ||
	    !ops->dma_write || !ops->irq)
		return NULL;
	f = &m->fn[fn];
	pthread_mutex_lock(&m->lock);
	if (f->attached) {
		pthread_mutex_unlock(&m->lock);
		return NULL;
	}
	f->ops = *ops;
	f->opaque = opaque;
	f->attached = true;
	/* Work left pending by an earlier connection resumes. */
	fn_queues_kick_locked(f);
	pthread_mutex_unlock(&m->lock);
	return f;
}

/*
 * Detaching is the transport going away, not a reset: the function's
 * registers, queue contexts, pending SQEs and streams stay as they are (a
 * reconnecting client finds the device as it was left). The engine just
 * stops touching the function; requests already being processed finish
 * first, so no bus op runs once this returns.
 */
void zipm_detach(struct zipm_fn *f)
{
	struct zipm *m;

	if (!f)
		return;
	m = f->m;
	pthread_mutex_lock(&m->lock);
	while (f->stopping)	/* a concurrent reset */
		pthread_cond_wait(&m->idle_cv, &m->lock);
	if (!f->attached) {
		pthread_mutex_unlock(&m->lock);
		return;
	}
	f->stopping = true;
	while (f->users)
		pthread_cond_wait(&m->idle_cv, &m->lock);
	f->attached = false;
	f->stopping = false;
	pthread_cond_broadcast(&m->idle_cv);
	memset(&f->ops, 0, sizeof(f->ops));
	f->opaque = NULL;
	memset(f->db_low_valid, 0, sizeof(f->db_low_valid));
	pthread_mutex_unlock(&m->lock);
}

void zipm_reset(struct zipm_fn *f)
{
	struct zipm *m;

	if (!f)
		return;
	m = f->m;
	pthread_mutex_lock(&m->lock);
	fn_quiesce_locked(f);
	fn_regs_reset_locked(f);
	if (f->idx == 0)
		global_regs_reset_locked(m);
	f->stopping = false;
	pthread_cond_broadcast(&m->idle_cv);
	pthread_mutex_unlock(&m->lock);
}

int zipm_pci_id(const struct zipm *m, unsigned int fn, struct zipm_pci_id *id)
{
	if (!m || !id || fn >= m->num_fns)
		return -EINVAL;
	memset(id, 0, sizeof(*id));
	id->vendor = ZIPM_VENDOR_HUAWEI;
	id->device = fn ? ZIPM_DEVICE_VF : ZIPM_DEVICE_PF;
	id->revision = ZIPM_REVISION_V2;
	id->class_code = ZIPM_CLASS;
	id->bar_size[ZIPM_REG_BAR] = ZIPM_REG_BAR_SIZE;
	id->msi_vectors = fn ? ZIPM_VF_VECTORS : ZIPM_PF_VECTORS;
	return 0;
}

/* ---- 32-bit register file ---------------------------------------------------- */

/* PF-only registers; a VF's accesses to them land in its private store. */
static bool is_pf_global(uint32_t off)
{
	switch (off) {
	case REG_ABN_SRC: case REG_ABN_MASK: case REG_ABN_STATUS:
	case REG_ABN_INF01:
	case REG_MEM_START_INIT: case REG_MEM_INIT_DONE:
	case REG_VFT_OP_ENABLE: case REG_VFT_RDY:
	case REG_IN_IDLE_ST:
	case REG_CORE_INT_SRC: case REG_CORE_INT_MASK:
		return true;
	}
	return false;
}

static uint32_t reg_read32(struct zipm_fn *f, uint32_t off)
{
	struct zipm *m = f->m;

	switch (off) {
	case REG_AEQ_SRC:
		return f->aeq_src;
	case REG_AEQ_MASK:
		return f->aeq_mask;
	case REG_EQ_SRC:
		return f->eq_src;
	case REG_EQ_MASK:
		return f->eq_mask;
	case REG_CACHE_WB_DONE:
		return f->cache_wb_done;
	}
	if (f->idx != 0 || !is_pf_global(off))
		return regstore_get(&f->store, off);

	switch (off) {
	case REG_ABN_SRC:
		return m->abn_src;
	case REG_ABN_MASK:
		return m->abn_mask;
	case REG_ABN_STATUS:
		return m->abn_src & ~m->abn_mask;
	case REG_ABN_INF01:
		return m->abn_inf01;
	case REG_MEM_INIT_DONE:
		return m->mem_init_done;
	case REG_VFT_RDY:
		return m->vft_rdy;
	case REG_IN_IDLE_ST:
		return 1;
	case REG_CORE_INT_SRC:
		return m->core_src;
	case REG_CORE_INT_MASK:
		return m->core_mask;
	}
	return regstore_get(&f->store, off);
}

/* Execute the VFT operation latched in the VFT config registers. */
static void vft_op_locked(struct zipm_fn *f)
{
	struct zipm *m = f->m;
	uint32_t type = regstore_get(&f->store, REG_VFT_TYPE) & 1;
	uint32_t fn = regstore_get(&f->store, REG_VFT_FN);

	if (fn < ZIPM_MAX_FNS) {
		if (regstore_get(&f->store, REG_VFT_OP_WR) & 1) {
			uint64_t w = m->vft[type][fn];

			regstore_set(&f->store, REG_VFT_DATA_L, (uint32_t)w);
			regstore_set(&f->store, REG_VFT_DATA_H,
				     (uint32_t)(w >> 32));
		} else {
			m->vft[type][fn] =
				regstore_get(&f->store, REG_VFT_DATA_L) |
				(uint64_t)regstore_get(&f->store,
						       REG_VFT_DATA_H) << 32;
		}
	}
	m->vft_rdy = 1;
}

static bool pf_global_write(struct zipm_fn *f, uint32_t off, uint32_t v,
			    struct irqbatch *b)
{
	struct zipm *m = f->m;
	uint32_t newly;

	switch (off) {
	case REG_ABN_SRC:
		m->abn_src &= ~v;
		return true;
	case REG_ABN_MASK:
		newly = m->abn_mask & ~v;
		m->abn_mask = v & ABN_ALL;
		/* Unmasking a pending error delivers it now. */
		if (newly & m->abn_src)
			irq_defer(b, &m->fn[0], ZIPM_VEC_ABNORMAL);
		return true;
	case REG_ABN_STATUS:
	case REG_ABN_INF01:
	case REG_MEM_INIT_DONE:
	case REG_IN_IDLE_ST:
		return true;	/* read-only */
	case REG_MEM_START_INIT:
		if (v & 1)
			m->mem_init_done = 1;
		return true;
	case REG_VFT_RDY:
		m->vft_rdy = v & 1;
		return true;
	case REG_VFT_OP_ENABLE:
		if (v & 1)
			vft_op_locked(f);
		return true;
	case REG_CORE_INT_SRC:
		m->core_src &= ~v;
		return true;
	case REG_CORE_INT_MASK:
		newly = m->core_mask & ~v;
		m->core_mask = v & CORE_ALL;
		if (newly & m->core_src)
			irq_defer(b, &m->fn[0], ZIPM_VEC_ABNORMAL);
		return true;
	}
	return false;
}

static void reg_write32(struct zipm_fn *f, uint32_t off, uint32_t v,
			uint32_t bytemask, struct irqbatch *b)
{
	/* Sub-word writes merge into the current value. */
	if (bytemask != 0xffffffffu)
		v = (reg_read32(f, off) & ~bytemask) | (v & bytemask);

	switch (off) {
	case REG_AEQ_SRC:
	case REG_EQ_SRC:
		return;		/* follows the rings, see doorbells */
	case REG_AEQ_MASK:
		eq_mask_write_locked(f, true, v & 1, b);
		return;
	case REG_EQ_MASK:
		eq_mask_write_locked(f, false, v & 1, b);
		return;
	case REG_CACHE_WB_START:
		/* Contexts live in model memory: write-back is instant. */
		if (v & 1)
			f->cache_wb_done = 1;
		regstore_set(&f->store, off, v);
		return;
	case REG_CACHE_WB_DONE:
		return;
	}
	if (f->idx == 0 && is_pf_global(off) && pf_global_write(f, off, v, b))
		return;
	regstore_set(&f->store, off, v);
}

/* ---- BAR access ---------------------------------------------------------------- */

static bool access_ok(struct zipm_fn *f, unsigned int bar, uint64_t off,
		      unsigned int size)
{
	if (!f || bar != ZIPM_REG_BAR)
		return false;
	if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16)
		return false;
	return off < ZIPM_REG_BAR_SIZE && size <= ZIPM_REG_BAR_SIZE - off;
}

static bool in_range(uint64_t off, unsigned int size, uint64_t lo,
		     uint64_t hi)
{
	return off < hi && off + size > lo;
}

/* Apply @fn to each 32-bit register the access touches. */
static void for_each_word(uint64_t off, unsigned int size,
			  void (*fn)(void *ctx, uint32_t reg, unsigned int shift,
				     unsigned int pos, unsigned int n),
			  void *ctx)
{
	unsigned int pos = 0;

	while (pos < size) {
		uint32_t reg = (uint32_t)((off + pos) & ~3ull);
		unsigned int shift = (unsigned int)((off + pos) & 3);
		unsigned int n = 4 - shift;

		if (n > size - pos)
			n = size - pos;
		fn(ctx, reg, shift, pos, n);
		pos += n;
	}
}

struct word_ctx {
	struct zipm_fn *f;
	uint8_t *buf;
	struct irqbatch *b;
};

static void word_read(void *c, uint32_t reg, unsigned int shift,
		      unsigned int pos, unsigned int n)
{
	struct word_ctx *w = c;
	uint8_t tmp[4];

	put_le32(tmp, reg_read32(w->f, reg));
	memcpy(w->buf + pos, tmp + shift, n);
}

static void word_write(void *c, uint32_t reg, unsigned int shift,
		       unsigned int pos, unsigned int n)
{
	struct word_ctx *w = c;
	uint8_t tmp[4] = { 0 };
	uint32_t mask = 0;
	unsigned int i;

	memcpy(tmp + shift, w->buf + pos, n);
	for (i = shift; i < shift + n; i++)
		mask |= 0xffu << (8 * i);
	reg_write32(w->f, reg, get_le32(tmp), mask, w->b);
}

void zipm_bar_read(struct zipm_fn *f, unsigned int bar, uint64_t off,
		   void *buf, unsigned int size)
{
	struct zipm *m;
	struct word_ctx w = { .f = f, .buf = buf };
	unsigned int i;

	if (!buf)
		return;
	if (!access_ok(f, bar, off, size)) {
		memset(buf, 0xff, size);
		return;
	}
	m = f->m;
	pthread_mutex_lock(&m->lock);
	if (!f->attached) {
		memset(buf, 0xff, size);
	} else if (in_range(off, size, REG_MB_BASE, REG_MB_END)) {
		for (i = 0; i < size; i++) {
			uint64_t o = off + i;

			w.buf[i] = (o >= REG_MB_BASE && o < REG_MB_END) ?
				   f->mb[o - REG_MB_BASE] : 0;
		}
	} else if (in_range(off, size, REG_DB_SQCQ, REG_DB_SQCQ + 8) ||
		   in_range(off, size, REG_DB_EQAEQ, REG_DB_EQAEQ + 8)) {
		memset(buf, 0, size);	/* doorbells are write-only */
	} else {
		for_each_word(off, size, word_read, &w);
	}
	pthread_mutex_unlock(&m->lock);
}

/*
 * Doorbells are 64-bit registers. A 64-bit store acts at once; a guest that
 * splits it into two 32-bit stores (low word first) acts on the high half.
 */
static void doorbell_access(struct zipm_fn *f, unsigned int page, uint64_t off,
			    const uint8_t *buf, unsigned int size,
			    struct irqbatch *b)
{
	uint64_t base = page ? REG_DB_EQAEQ : REG_DB_SQCQ;

	if (off == base && size >= 8) {
		f->db_low_valid[page] = false;
		doorbell_locked(f, get_le64(buf), b);
	} else if (off == base && size == 4) {
		f->db_low[page] = get_le32(buf);
		f->db_low_valid[page] = true;
	} else if (off == base + 4 && size == 4 && f->db_low_valid[page]) {
		f->db_low_valid[page] = false;
		doorbell_locked(f, f->db_low[page] |
				(uint64_t)get_le32(buf) << 32, b);
	}
	/* Other shapes are not something a driver does; ignore them. */
}

/*
 * The mailbox is a 16-byte staging buffer. The command runs when the access
 * that writes its last byte (0x30f) completes, so one 16-byte store, two
 * ordered 8-byte stores or four 4-byte stores all work.
 */
static void mailbox_access(struct zipm_fn *f, uint64_t off, const uint8_t *buf,
			   unsigned int size, struct irqbatch *b)
{
	unsigned int i;
	bool last = false;

	for (i = 0; i < size; i++) {
		uint64_t o = off + i;

		if (o >= REG_MB_BASE && o < REG_MB_END) {
			f->mb[o - REG_MB_BASE] = buf[i];
			last |= o == REG_MB_END - 1;
		}
	}
	if (last)
		mailbox_exec_locked(f, b);
}

void zipm_bar_write(struct zipm_fn *f, unsigned int bar, uint64_t off,
		    const void *buf, unsigned int size)
{
	struct zipm *m;
	struct irqbatch b = { 0 };
	struct word_ctx w = { .f = f, .buf = (uint8_t *)buf, .b = &b };

	if (!buf || !access_ok(f, bar, off, size))
		return;
	m = f->m;
	pthread_mutex_lock(&m->lock);
	if (!f->attached || f->stopping)
		goto out;
	if (in_range(off, size, REG_MB_BASE, REG_MB_END))
		mailbox_access(f, off, buf, size, &b);
	else if (in_range(off, size, REG_DB_SQCQ, REG_DB_SQCQ + 8))
		doorbell_access(f, 0, off, buf, size, &b);
	else if (in_range(off, size, REG_DB_EQAEQ, REG_DB_EQAEQ + 8))
		doorbell_access(f, 1, off, buf, size, &b);
	else
		for_each_word(off, size, word_write, &w);
out:
	pthread_mutex_unlock(&m->lock);
	irq_flush(m, &b);
}
