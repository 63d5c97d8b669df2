// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-hw-cqe - libFuzzer target for what libwd reads back from the device
 * on the hardware path: the QM V2 CQE (slot, phase) and the ZIP SQE's
 * result words (status, consumed, produced, end of block, resend, ISIZE,
 * checksum), decoded by libwd/drv/hisi_qm.c and used by comp_hw.c, plus the
 * gzip/zlib headers comp_hw.c parses itself on decompression.
 *
 * A fake device takes libwd's doorbells (through the test hook the unit
 * tests use, wd_queue_open_test()) and answers every request from the
 * fuzzer's bytes: correct answers, any status code, lengths that lie
 * (consumed more than was sent, produced more than fits), resend loops,
 * a spurious CQE naming another slot, the tag of another async request.
 * The device always posts a CQE for each request, so libwd never has to
 * time out. Checked besides
 * the sanitizers: every call returns a WD_* code, one-shot never reports
 * more output than the buffer holds, streaming never moves backwards or
 * past the buffers, and sessions close without leaks.
 *
 * Input: byte 0: format (bits 0-1), compress (bit 2), mode (bits 3-4:
 * one-shot, streaming, async); bytes 1-2: length of the data that follows;
 * the rest drives the device's answers.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <misc/sdmdev.h>

#include "comp_internal.h"
#include "queue_internal.h"
#include "wd_dev.h"

#define DEPTH		1024
#define SQE_SIZE	128
#define CQE_SIZE	16
#define RING_SIZE	(DEPTH * (SQE_SIZE + CQE_SIZE))
#define DMA_SIZE	(1u << 20)
#define DMA_ADDR	0x100000000ull

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

struct fdev {
	uint8_t *ring, *dma;
	uint32_t sq_head, cq_tail;
	uint8_t phase;
	const uint8_t *fz;
	size_t fz_len, fz_pos;
	unsigned int requests;
};

static uint8_t fz8(struct fdev *d)
{
	return d->fz_pos < d->fz_len ? d->fz[d->fz_pos++] : 0;
}

static uint32_t fz32(struct fdev *d)
{
	uint32_t v = fz8(d);

	v |= (uint32_t)fz8(d) << 8;
	v |= (uint32_t)fz8(d) << 16;
	return v | (uint32_t)fz8(d) << 24;
}

static uint32_t get32(const uint8_t *p, unsigned int dw)
{
	p += 4 * dw;
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, unsigned int dw, uint32_t v)
{
	p += 4 * dw;
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void post_cqe(struct fdev *d, uint16_t slot)
{
	uint8_t *cqe = d->ring + DEPTH * SQE_SIZE + (size_t)d->cq_tail * CQE_SIZE;

	memset(cqe, 0, CQE_SIZE);
	cqe[8] = slot;
	cqe[9] = slot >> 8;
	/* the phase bit last, as the device's write ordering promises */
	__atomic_store_n(&cqe[CQE_SIZE - 2], d->phase, __ATOMIC_RELEASE);
	if (++d->cq_tail == DEPTH) {
		d->cq_tail = 0;
		d->phase ^= 1;
	}
}

/* Answer the SQE in @slot from the fuzzer's bytes. */
static void complete(struct fdev *d, uint32_t slot)
{
	uint8_t *sqe = d->ring + (size_t)slot * SQE_SIZE;
	uint32_t in_len = get32(sqe, 4), out_cap = get32(sqe, 14);
	uint64_t dst = get32(sqe, 20) | (uint64_t)get32(sqe, 21) << 32;
	uint8_t c = fz8(d);
	uint32_t status = 0, consumed = in_len, produced, dw3;

	produced = fz8(d) * 97u;
	if (produced > out_cap)
		produced = out_cap;
	switch (c & 7) {
	case 4:		/* any status, the documented ones more often */
		status = (c & 8) ? fz8(d) : (uint8_t[]){ 0x01, 0x02, 0x08, 0x0d,
						       0x0e, 0x10, 0x11, 0x13 }[fz8(d) & 7];
		break;
	case 5:		/* lengths that lie */
		consumed = fz32(d);
		produced = fz32(d);
		break;
	case 6:		/* output full, the rest again */
		consumed = fz8(d) % (in_len + 1);
		produced = out_cap;
		break;
	case 7:		/* everything at random */
		status = fz8(d);
		consumed = fz32(d);
		produced = fz32(d);
		break;
	default:
		break;
	}
	/* what a device writes stays inside the buffer it was given */
	if (dst >= DMA_ADDR && dst - DMA_ADDR < DMA_SIZE) {
		uint64_t room = DMA_SIZE - (dst - DMA_ADDR), n = produced;

		if (n > out_cap)
			n = out_cap;
		if (n > room)
			n = room;
		memset(d->dma + (dst - DMA_ADDR), c, n);
	}
	dw3 = status | ((c & 0x10) ? 1u << 8 : 0);	/* end of the last block */
	put32(sqe, 0, consumed);
	put32(sqe, 1, produced);
	put32(sqe, 3, dw3);
	put32(sqe, 15, (c & 7) == 6 ? 1 : 0);		/* resend */
	put32(sqe, 30, fz32(d));			/* ISIZE */
	put32(sqe, 31, fz32(d));			/* checksum */
	/*
	 * The tag of another async request (a synchronous request whose
	 * answer never comes would only time out, after 20 s).
	 */
	if ((c & 0xe0) == 0xe0 && get32(sqe, 13) < 64)
		put32(sqe, 13, fz8(d) % 64);
	/* sometimes first a CQE for another slot, then the right one */
	if ((c & 0x60) == 0x60)
		post_cqe(d, fz8(d) | fz8(d) << 8);
	post_cqe(d, slot);
	d->requests++;
}

/* Doorbell: queue [11:0], command [15:12], index [47:32]. */
static void doorbell(void *opaque, uint64_t off, uint64_t val)
{
	struct fdev *d = opaque;
	uint32_t cmd = (val >> 12) & 0xf, index = (val >> 32) & 0xffff;

	(void)off;
	if (cmd != 0)
		return;			/* CQ head: nothing to do */
	if (index >= DEPTH)
		FAIL("SQ doorbell with tail %u", index);
	while (d->sq_head != index) {
		complete(d, d->sq_head);
		d->sq_head = (d->sq_head + 1) % DEPTH;
	}
}

static int set_alg(void *opaque, uint32_t qn, unsigned int alg)
{
	(void)opaque;
	(void)qn;
	return alg > 1 ? WD_EINVAL : WD_OK;
}

static bool wd_code(int ret)
{
	switch (ret) {
	case WD_OK: case WD_STREAM_END: case WD_EPERM: case WD_ENOENT:
	case WD_EIO: case WD_EAGAIN: case WD_ENOMEM: case WD_EBUSY:
	case WD_ENODEV: case WD_EINVAL: case WD_ENOSPC: case WD_EBADMSG:
	case WD_EOPNOTSUPP: case WD_ETIMEDOUT:
		return true;
	default:
		return false;
	}
}

static void check(int ret, const char *what)
{
	if (!wd_code(ret))
		FAIL("%s returned %d, not a WD_* code", what, ret);
}

static void oneshot(struct wd_comp_sess *s, const uint8_t *in, size_t len, uint8_t cap_sel)
{
	size_t cap = cap_sel ? (size_t)cap_sel * 1024 : 300 * 1024, got = cap;
	uint8_t *out = malloc(cap + 1);
	int ret;

	ret = wd_comp_oneshot(s, in, len, out, &got);
	check(ret, "oneshot");
	if (ret == WD_OK && got > cap)
		FAIL("oneshot: %zu bytes into %zu", got, cap);
	if (ret && got != cap)
		FAIL("oneshot: *dst_len changed on failure");
	free(out);
}

static void stream(struct wd_comp_sess *s, const uint8_t *in, size_t len, uint8_t sel)
{
	size_t piece = 1 + sel * 37, room = 1 + (sel >> 4) * 4099, fed = 0;
	uint8_t *out = malloc(room);
	struct wd_comp_buf b = { .next_in = in };
	unsigned int rounds;
	int ret = WD_OK;

	for (rounds = 0; rounds < 4096; rounds++) {
		size_t give = len - fed < piece ? len - fed : piece;
		enum wd_flush fl = fed + give == len ? WD_FLUSH_FINISH : WD_FLUSH_NONE;

		b.next_in = in + fed;
		b.avail_in = give;
		b.next_out = out;
		b.avail_out = room;
		ret = wd_comp_stream(s, &b, fl);
		check(ret, "stream");
		if (b.avail_in > give || b.avail_out > room ||
		    (const uint8_t *)b.next_in != in + fed + (give - b.avail_in) ||
		    (uint8_t *)b.next_out != out + (room - b.avail_out))
			FAIL("stream: buffers moved wrongly");
		fed += give - b.avail_in;
		if (ret)
			break;
	}
	free(out);
}

struct ares {
	int n, status;
};

static void cb(void *opaque, int status, size_t consumed, size_t produced)
{
	struct ares *a = opaque;

	(void)consumed;
	(void)produced;
	check(status, "async callback");
	a->n++;
}

static void async(struct wd_comp_sess *s, const uint8_t *in, size_t len, uint8_t sel)
{
	static uint8_t out[4][64 * 1024];
	struct ares a = { 0 };
	unsigned int i, sent = 0;
	int ret;

	/* up to four requests over pieces of the data, then poll them all */
	for (i = 0; i < 1 + (sel & 3u); i++) {
		size_t off = len * i / 4, n = len - off;

		ret = wd_comp_submit(s, in + off, n, out[i], sizeof(out[i]) >> (sel >> 6),
				     cb, &a);
		check(ret, "submit");
		if (!ret)
			sent++;
	}
	for (i = 0; i < 64 && wd_comp_pending(s); i++) {
		ret = wd_comp_poll(s, 8, 0);
		if (ret < 0) {
			check(ret, "poll");
			break;
		}
	}
	if (a.n > (int)sent)
		FAIL("async: %d callbacks for %u requests", a.n, sent);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum wd_comp_format fmts[] = {
		WD_FORMAT_GZIP, WD_FORMAT_ZLIB, WD_FORMAT_RAW, WD_FORMAT_GZIP,
	};
	struct fdev d = { 0 };
	struct wd_queue_test t = { 0 };
	struct wd_comp_setup setup = { 0 };
	struct wd_comp_sess *s;
	struct wd_queue *q;
	size_t len;
	int ret;

	if (size < 4)
		return 0;
	len = (data[1] | data[2] << 8) % (size - 3 + 1);
	d.ring = aligned_alloc(4096, RING_SIZE);
	d.dma = aligned_alloc(4096, DMA_SIZE);
	if (!d.ring || !d.dma)
		abort();
	memset(d.ring, 0, RING_SIZE);
	memset(d.dma, 0, DMA_SIZE);
	d.phase = 1;
	d.fz = data + 3 + len;
	d.fz_len = size - 3 - len;

	t.api = "hisi_qm_v2";
	t.flags = WD_DEV_SHARED_MMIO | WD_DEV_NOIOMMU;
	t.ring = d.ring;
	t.ring_size = RING_SIZE;
	t.dma = d.dma;
	t.dma_size = DMA_SIZE;
	t.dma_addr = DMA_ADDR;
	t.opaque = &d;
	t.doorbell = doorbell;
	t.set_alg = set_alg;
	ret = wd_queue_open_test(&q, &t);
	if (ret)
		FAIL("wd_queue_open_test: %s", wd_strerror(ret));

	setup.format = fmts[data[0] & 3];
	setup.dir = (data[0] & 4) ? WD_DIR_COMPRESS : WD_DIR_DECOMPRESS;
	setup.numa_node = -1;
	ret = comp_open_on_queue(&s, &setup, q);
	if (ret)
		FAIL("comp_open_on_queue: %s", wd_strerror(ret));
	switch ((data[0] >> 3) & 3) {
	case 0:
		oneshot(s, data + 3, len, data[0] >> 5);
		break;
	case 1: case 3:
		stream(s, data + 3, len, data[0]);
		break;
	default:
		async(s, data + 3, len, data[0]);
		break;
	}
	/* a reset, and the session is closed with whatever is in flight */
	check(wd_comp_reset(s), "reset");
	wd_comp_close(s);
	wd_queue_close(q);
	free(d.ring);
	free(d.dma);
	return 0;
}
