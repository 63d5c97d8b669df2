// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: libwd's hardware path (wd_queue.h, the hisi_qm_v2 user
 * driver, the hardware compression engine) against the in-process ZIP
 * device model, with no VM and no kernel: wdmodel.c plays the kernel for
 * set-up. zlib is the referee for every stream.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "check-oneshot.h"
#include "comp_internal.h"
#include "wdmodel.h"
#include "wdt-zref.h"

#define MEM_SIZE	(8u << 20)

static struct wdm dev;
static struct wdm_queue wq, wq2;

static const enum wd_comp_format formats[3] = {
	WD_FORMAT_RAW, WD_FORMAT_ZLIB, WD_FORMAT_GZIP,
};

static void setup(void)
{
	ck_assert_int_eq(wdm_init(&dev, MEM_SIZE), 0);
	ck_assert_int_eq(wdm_queue_open(&dev, &wq, 0), WD_OK);
	ck_assert_int_eq(wdm_queue_open(&dev, &wq2, 1), WD_OK);
}

static void teardown(void)
{
	wdm_queue_close(&wq);
	wdm_queue_close(&wq2);
	wdm_fini(&dev);
}

/* ---- data and the zlib referee -------------------------------------------- */

/* One stream of @f at level 6, asserted to fit. */
static size_t ref_deflate(enum wd_comp_format f, const uint8_t *in,
			  size_t n, uint8_t *out, size_t cap, gz_header *gh)
{
	size_t len = wdt_ref_deflate(f, 6, in, n, out, cap, gh);

	ck_assert_uint_gt(len, 0);
	return len;
}

static struct wd_comp_sess *open_sess(struct wdm_queue *q,
				      enum wd_comp_format f,
				      enum wd_comp_dir dir)
{
	struct wd_comp_setup s = { .format = f, .dir = dir, .numa_node = -1 };
	struct wd_comp_sess *sess = NULL;

	ck_assert_int_eq(comp_open_on_queue(&sess, &s, q->q), WD_OK);
	ck_assert_int_eq(wd_comp_engine(sess), WD_ENGINE_HW);
	return sess;
}

/* ---- the queue layer ---------------------------------------------------------- */

static void zip_sqe(uint8_t *sqe, uint64_t src, uint32_t len, uint64_t dst,
		    uint32_t cap, uint32_t tag)
{
	struct wd_comp_msg m = {
		.format = WD_FORMAT_ZLIB, .src = src, .in_len = len,
		.dst = dst, .out_cap = cap, .tag = tag,
	};

	wd_drv_hisi_qm_v2.comp_fill(sqe, &m);
}

START_TEST(test_queue_many_in_flight)
{
	struct wd_queue *q = wq.q;
	enum { N = 64, IN = 4096, OUT = 8192 };
	uint8_t *buf, sqe[128], back[IN], ref[IN];
	unsigned int i, seen = 0, order = 0;
	uint64_t iova;

	ck_assert_str_eq(wd_queue_api(q), "hisi_qm_v2");
	ck_assert_uint_eq(wd_queue_desc_size(q), 128);
	ck_assert_uint_eq(wd_queue_depth(q), 1023);
	ck_assert_uint_eq(wd_queue_mem_size(q), 1024 * 1024);
	buf = wd_mem_alloc(q, N * (IN + OUT));
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(wd_mem_iova(q, buf, N * (IN + OUT), &iova), WD_OK);
	ck_assert_int_eq(wd_mem_iova(q, back, 1, &iova), WD_EINVAL);
	ck_assert_int_eq(wd_mem_share(q, back, 4096), WD_EOPNOTSUPP);
	ck_assert_int_eq(wd_recv(q, sqe), WD_EAGAIN);
	ck_assert_int_eq(wd_queue_wait(q, 0), WD_EAGAIN);

	ck_assert_int_eq(wd_mem_iova(q, buf, 1, &iova), WD_OK);
	for (i = 0; i < N; i++) {
		wdt_fill(buf + i * IN, IN, WDT_FILL_WORDS, i + 1);
		zip_sqe(sqe, iova + i * IN, IN, iova + N * IN + i * OUT, OUT, i);
		ck_assert_int_eq(wd_send(q, sqe), WD_OK);
	}
	ck_assert_uint_eq(wd_queue_inflight(q), N);
	while (seen < N) {
		struct wd_comp_msg m;
		long n;

		ck_assert_int_eq(wd_queue_wait(q, 5000), WD_OK);
		ck_assert_int_eq(wd_recv(q, sqe), WD_OK);
		wd_drv_hisi_qm_v2.comp_parse(sqe, &m);
		ck_assert_int_eq(m.status, WD_OK);
		/* one queue: completions come in submission order */
		ck_assert_uint_eq(m.tag, order++);
		ck_assert_uint_eq(m.consumed, IN);
		{
			uint8_t z[OUT + 2];

			z[0] = 0x78;
			z[1] = 0x9c;
			memcpy(z + 2, buf + N * IN + m.tag * OUT, m.produced);
			n = wdt_ref_inflate(WD_FORMAT_ZLIB, z, m.produced + 2,
					back, sizeof(back));
		}
		wdt_fill(ref, IN, WDT_FILL_WORDS, m.tag + 1);
		ck_assert_int_eq(n, IN);
		ck_assert_mem_eq(back, ref, IN);
		seen++;
	}
	ck_assert_uint_eq(wd_queue_inflight(q), 0);
	wd_mem_free(q, buf);
}
END_TEST

START_TEST(test_queue_ring_full)
{
	struct wd_queue *q = wq.q;
	uint8_t sqe[128], *buf;
	uint64_t iova;
	unsigned int i;

	buf = wd_mem_alloc(q, 8192);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(wd_mem_iova(q, buf, 8192, &iova), WD_OK);
	/* the engine takes nothing: the ring fills up */
	ck_assert_int_eq(wdm_fault(&dev, "hang"), 0);
	zip_sqe(sqe, iova, 16, iova + 4096, 4096, 0);
	for (i = 0; i < 1023; i++)
		ck_assert_int_eq(wd_send(q, sqe), WD_OK);
	ck_assert_int_eq(wd_send(q, sqe), WD_EBUSY);
	ck_assert_int_eq(wd_queue_wait(q, 50), WD_ETIMEDOUT);
	ck_assert_int_eq(wd_recv(q, sqe), WD_EAGAIN);
	ck_assert_int_eq(wdm_fault(&dev, "release"), 0);
	for (i = 0; i < 1023; i++) {
		ck_assert_int_eq(wd_queue_wait(q, 5000), WD_OK);
		ck_assert_int_eq(wd_recv(q, sqe), WD_OK);
	}
	/* a second lap of the ring: the CQ phase has flipped */
	zip_sqe(sqe, iova, 16, iova + 4096, 4096, 7);
	ck_assert_int_eq(wd_queue_sync(q, sqe, 5000), WD_OK);
	ck_assert_int_eq(wd_send(q, sqe), WD_OK);
	ck_assert_int_eq(wd_queue_sync(q, sqe, 5000), WD_EBUSY);
	ck_assert_int_eq(wd_queue_wait(q, 5000), WD_OK);
	ck_assert_int_eq(wd_recv(q, sqe), WD_OK);
	wd_mem_free(q, buf);
}
END_TEST

START_TEST(test_mem_alloc)
{
	struct wd_queue *q = wq.q;
	void *a, *b, *c;

	a = wd_mem_alloc(q, 512 * 1024);
	b = wd_mem_alloc(q, 512 * 1024);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_null(wd_mem_alloc(q, 1));
	wd_mem_free(q, a);
	c = wd_mem_alloc(q, 4096);
	ck_assert_ptr_eq(c, a);
	wd_mem_free(q, b);
	wd_mem_free(q, c);
	ck_assert_ptr_nonnull(wd_mem_alloc(q, 1024 * 1024));
}
END_TEST

/* ---- compression --------------------------------------------------------------- */

static const size_t sizes[] = {
	0, 1, 1000, 16 * 1024, 128 * 1024, 128 * 1024 + 1, 700 * 1024 + 3,
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

START_TEST(test_oneshot_roundtrip)
{
	enum wd_comp_format f = formats[_i % 3];
	size_t n = sizes[(_i / 3) % NSIZES], clen, cap;
	unsigned int kind = (unsigned int)(_i / (3 * NSIZES));
	struct wd_comp_sess *c = open_sess(&wq, f, WD_DIR_COMPRESS);
	struct wd_comp_sess *d = open_sess(&wq2, f, WD_DIR_DECOMPRESS);
	uint8_t *in = malloc(n + 1), *z, *out = malloc(n + 1);

	cap = wd_comp_bound(f, n);
	z = malloc(cap);
	wdt_fill(in, n, kind, n + 3);
	/* hardware compresses, zlib reads it */
	clen = cap;
	ck_assert_int_eq(wd_comp_oneshot(c, in, n, z, &clen), WD_OK);
	ck_assert_int_eq(wdt_ref_inflate(f, z, clen, out, n + 1), (long)n);
	ck_assert_mem_eq(out, in, n);
	/* and reads it back itself */
	ck_assert_oneshot(d, z, clen, out, n + 1, in, n);
	/* zlib compresses, hardware reads it */
	clen = ref_deflate(f, in, n, z, cap, NULL);
	ck_assert_oneshot(d, z, clen, out, n + 1, in, n);
	wd_comp_close(c);
	wd_comp_close(d);
	free(in);
	free(z);
	free(out);
}
END_TEST

START_TEST(test_oneshot_errors)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *c = open_sess(&wq, f, WD_DIR_COMPRESS);
	struct wd_comp_sess *d = open_sess(&wq2, f, WD_DIR_DECOMPRESS);
	enum { N = 200000 };
	uint8_t *in = malloc(N), *z = malloc(N * 2), *out = malloc(N + 64);
	size_t clen, dlen;

	wdt_fill(in, N, WDT_FILL_WORDS, 9);
	clen = ref_deflate(f, in, N, z, N * 2, NULL);
	/* too small for the output: ENOSPC, and the session goes on */
	dlen = N - 1;
	ck_assert_int_eq(wd_comp_oneshot(d, z, clen, out, &dlen), WD_ENOSPC);
	ck_assert_uint_eq(dlen, N - 1);
	dlen = 10;
	ck_assert_int_eq(wd_comp_oneshot(c, in, N, out, &dlen), WD_ENOSPC);
	/* truncated */
	dlen = N + 64;
	ck_assert_int_eq(wd_comp_oneshot(d, z, clen - 3, out, &dlen),
			 WD_EBADMSG);
	wd_comp_reset(d);
	/* trailing garbage */
	z[clen] = 0x55;
	dlen = N + 64;
	ck_assert_int_eq(wd_comp_oneshot(d, z, clen + 1, out, &dlen),
			 WD_EBADMSG);
	wd_comp_reset(d);
	/* a wrong check value in the trailer */
	if (f != WD_FORMAT_RAW) {
		z[clen - 5] ^= 0x10;
		dlen = N + 64;
		ck_assert_int_eq(wd_comp_oneshot(d, z, clen, out, &dlen),
				 WD_EBADMSG);
		wd_comp_reset(d);
	}
	/* the first block of reserved type 3 */
	z[f == WD_FORMAT_RAW ? 0 : f == WD_FORMAT_ZLIB ? 2 : 10] |= 0x06;
	dlen = N + 64;
	ck_assert_int_eq(wd_comp_oneshot(d, z, clen, out, &dlen), WD_EBADMSG);
	wd_comp_reset(d);
	/* the device fails a request: EIO, sticky until reset */
	ck_assert_int_eq(wdm_fault(&dev, "fail 1 0x02"), 0);
	dlen = N * 2;
	ck_assert_int_eq(wd_comp_oneshot(c, in, 1000, z, &dlen), WD_EIO);
	ck_assert_int_eq(wd_comp_oneshot(c, in, 1000, z, &dlen), WD_EIO);
	ck_assert_int_eq(wd_comp_reset(c), WD_OK);
	dlen = N * 2;
	ck_assert_int_eq(wd_comp_oneshot(c, in, 1000, z, &dlen), WD_OK);
	wd_comp_close(c);
	wd_comp_close(d);
	free(in);
	free(z);
	free(out);
}
END_TEST

START_TEST(test_headers)
{
	struct wd_comp_sess *d = open_sess(&wq2, WD_FORMAT_GZIP,
					   WD_DIR_DECOMPRESS);
	uint8_t in[5000], z[8000], out[5001], extra[7] = "abcdefg";
	gz_header gh = { 0 };
	size_t clen, dlen;

	wdt_fill(in, sizeof(in), WDT_FILL_WORDS, 4);
	gh.name = (Bytef *)"file.txt";
	gh.comment = (Bytef *)"a comment";
	gh.extra = extra;
	gh.extra_len = sizeof(extra);
	gh.hcrc = 1;
	clen = ref_deflate(WD_FORMAT_GZIP, in, sizeof(in), z, sizeof(z), &gh);
	ck_assert_oneshot(d, z, clen, out, sizeof(out), in, sizeof(in));
	/* a wrong header CRC */
	z[3 + 7 + 2 + sizeof(extra) + 9 + 10] ^= 1;
	dlen = sizeof(out);
	ck_assert_int_eq(wd_comp_oneshot(d, z, clen, out, &dlen), WD_EBADMSG);
	wd_comp_close(d);

	/* zlib with a preset dictionary: valid, but not for us */
	d = open_sess(&wq2, WD_FORMAT_ZLIB, WD_DIR_DECOMPRESS);
	z[0] = 0x78;
	z[1] = 0xbb;	/* FDICT, check bits right */
	dlen = sizeof(out);
	ck_assert_int_eq(wd_comp_oneshot(d, z, 10, out, &dlen), WD_EOPNOTSUPP);
	wd_comp_close(d);
}
END_TEST

/* Stream through in steps of @step bytes of input and output. */
static size_t stream_all(struct wd_comp_sess *s, const uint8_t *in, size_t n,
			 uint8_t *out, size_t cap, size_t step, bool compress)
{
	struct wd_comp_buf b = { .next_in = in, .next_out = out };
	size_t left_in = n;
	int ret;

	for (;;) {
		size_t give = left_in < step ? left_in : step;
		size_t room = (size_t)((out + cap) - (uint8_t *)b.next_out);
		enum wd_flush fl;

		b.avail_in = give;
		b.avail_out = room < step ? room : step;
		fl = compress && give == left_in ? WD_FLUSH_FINISH :
						   WD_FLUSH_NONE;
		ret = wd_comp_stream(s, &b, fl);
		ck_assert_int_ge(ret, 0);
		left_in -= give - b.avail_in;
		if (ret == WD_STREAM_END)
			break;
	}
	ck_assert_uint_eq(left_in, 0);
	ck_assert_uint_eq(b.total_in, n);
	return (size_t)b.total_out;
}

START_TEST(test_stream_roundtrip)
{
	static const size_t steps[] = { 1, 777, 64 * 1024, 1 << 22 };
	enum wd_comp_format f = formats[_i % 3];
	size_t step = steps[_i / 3];
	/* tiny steps: a smaller input, every call is a request */
	size_t n = step == 1 ? 3000 : 1300 * 1024 + 17, clen, dlen;
	struct wd_comp_sess *c = open_sess(&wq, f, WD_DIR_COMPRESS);
	struct wd_comp_sess *d = open_sess(&wq2, f, WD_DIR_DECOMPRESS);
	uint8_t *in = malloc(n), *z = malloc(2 * n + 64), *out = malloc(n + 1);

	wdt_fill(in, n, (unsigned int)(_i & 1), 77);
	clen = stream_all(c, in, n, z, 2 * n + 64, step, true);
	ck_assert_int_eq(wdt_ref_inflate(f, z, clen, out, n + 1), (long)n);
	ck_assert_mem_eq(out, in, n);
	dlen = stream_all(d, z, clen, out, n + 1, step, false);
	ck_assert_uint_eq(dlen, n);
	ck_assert_mem_eq(out, in, n);
	/* a stream made by zlib, and a second member after a reset */
	wd_comp_reset(d);
	clen = ref_deflate(f, in, n, z, 2 * n + 64, NULL);
	dlen = stream_all(d, z, clen, out, n + 1, step, false);
	ck_assert_uint_eq(dlen, n);
	ck_assert_mem_eq(out, in, n);
	wd_comp_close(c);
	wd_comp_close(d);
	free(in);
	free(z);
	free(out);
}
END_TEST

START_TEST(test_stream_sync_and_trailing)
{
	struct wd_comp_sess *c = open_sess(&wq, WD_FORMAT_ZLIB,
					   WD_DIR_COMPRESS);
	struct wd_comp_sess *d = open_sess(&wq2, WD_FORMAT_ZLIB,
					   WD_DIR_DECOMPRESS);
	uint8_t in[3000], z[8000], out[3001];
	struct wd_comp_buf b = { .next_in = in, .avail_in = 1000,
				 .next_out = z, .avail_out = sizeof(z) };
	z_stream zs = { 0 };
	size_t clen;

	wdt_fill(in, sizeof(in), WDT_FILL_WORDS, 5);
	/* a sync flush makes everything so far decodable */
	ck_assert_int_eq(wd_comp_stream(c, &b, WD_FLUSH_SYNC), WD_OK);
	ck_assert_int_eq(inflateInit(&zs), Z_OK);
	zs.next_in = z;
	zs.avail_in = (uInt)b.total_out;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	ck_assert_int_eq(inflate(&zs, Z_SYNC_FLUSH), Z_OK);
	ck_assert_uint_eq(zs.total_out, 1000);
	inflateEnd(&zs);
	b.avail_in = 2000;
	ck_assert_int_eq(wd_comp_stream(c, &b, WD_FLUSH_FINISH), WD_STREAM_END);
	clen = b.total_out;
	ck_assert_int_eq(wdt_ref_inflate(WD_FORMAT_ZLIB, z, clen, out, sizeof(out)),
			 3000);

	/* bytes after the stream are left to the caller */
	memcpy(z + clen, "NEXT", 4);
	memset(&b, 0, sizeof(b));
	b.next_in = z;
	b.avail_in = clen + 4;
	b.next_out = out;
	b.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(d, &b, WD_FLUSH_FINISH), WD_STREAM_END);
	ck_assert_uint_eq(b.avail_in, 4);
	ck_assert_uint_eq(b.total_out, 3000);
	/* cut short with FINISH: corrupt */
	wd_comp_reset(d);
	memset(&b, 0, sizeof(b));
	b.next_in = z;
	b.avail_in = clen - 5;
	b.next_out = out;
	b.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(d, &b, WD_FLUSH_FINISH), WD_EBADMSG);
	wd_comp_close(c);
	wd_comp_close(d);
}
END_TEST

/*
 * The engine's output buffer (256 KiB in libwd) fills exactly where a piece
 * of input ends, mid-stream: the engine says "output full, resend", and the
 * fetch that follows, with no input, brings nothing because nothing was
 * held. That is the end of the piece, not a stuck device (it was WD_EIO,
 * "device error", under load). The data: 256 KiB deflated up to a sync
 * flush, given as the first piece; the rest of the stream after it.
 */
START_TEST(test_stream_fill_at_piece_end)
{
	enum wd_comp_format f = formats[_i];
	enum { N1 = 256 * 1024, N = N1 + 10000 };
	struct wd_comp_sess *d = open_sess(&wq2, f, WD_DIR_DECOMPRESS);
	uint8_t *in = malloc(N), *z = malloc(2 * N), *out = malloc(N + 1);
	struct wd_comp_buf b = { 0 };
	z_stream zs = { 0 };
	size_t cut, clen, dlen;

	wdt_fill(in, N, WDT_FILL_MIXED, 4766);
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, wdt_wbits(f), 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = in;
	zs.avail_in = N1;
	zs.next_out = z;
	zs.avail_out = 2 * N;
	ck_assert_int_eq(deflate(&zs, Z_SYNC_FLUSH), Z_OK);
	cut = zs.total_out;
	zs.avail_in = N - N1;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	clen = zs.total_out;
	deflateEnd(&zs);
	/* the first piece is one request: its body fits libwd's 128 KiB */
	ck_assert_uint_lt(cut, 128 * 1024);

	b.next_in = z;
	b.avail_in = cut;
	b.next_out = out;
	b.avail_out = N + 1;
	ck_assert_int_eq(wd_comp_stream(d, &b, WD_FLUSH_NONE), WD_OK);
	ck_assert_uint_eq(b.avail_in, 0);
	ck_assert_uint_eq(b.total_out, N1);
	/* asked again with nothing new: still nothing, no error */
	ck_assert_int_eq(wd_comp_stream(d, &b, WD_FLUSH_NONE), WD_OK);
	ck_assert_uint_eq(b.total_out, N1);
	b.avail_in = clen - cut;
	ck_assert_int_eq(wd_comp_stream(d, &b, WD_FLUSH_FINISH), WD_STREAM_END);
	ck_assert_uint_eq(b.total_in, clen);
	ck_assert_uint_eq(b.total_out, N);
	ck_assert_mem_eq(out, in, N);

	/* one-shot, the stream cut there: truncated, not a device error */
	ck_assert_int_eq(wd_comp_reset(d), WD_OK);
	dlen = N + 1;
	ck_assert_int_eq(wd_comp_oneshot(d, z, cut, out, &dlen), WD_EBADMSG);
	ck_assert_int_eq(wd_comp_reset(d), WD_OK);
	ck_assert_oneshot(d, z, clen, out, N + 1, in, N);
	wd_comp_close(d);
	free(in);
	free(z);
	free(out);
}
END_TEST

struct areq {
	uint8_t in[20000], out[40000];
	size_t n, produced;
	int status;
	bool done;
};

static void acb(void *opaque, int status, size_t consumed, size_t produced)
{
	struct areq *r = opaque;

	ck_assert(!r->done);
	r->done = true;
	r->status = status;
	r->produced = produced;
	if (!status)
		ck_assert_uint_eq(consumed, r->n);
}

START_TEST(test_async)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *c = open_sess(&wq, f, WD_DIR_COMPRESS);
	struct wd_comp_sess *d = open_sess(&wq2, f, WD_DIR_DECOMPRESS);
	enum { N = 64 };
	struct areq *r = calloc(N, sizeof(*r));
	uint8_t back[20001];
	unsigned int i, done = 0;
	int ret;

	for (i = 0; i < N; i++) {
		/* some requests too big for a slot: they run at poll time */
		r[i].n = i % 9 == 8 ? 20000 : 100 + 150 * i;
		wdt_fill(r[i].in, r[i].n, i & 1, i + 11);
		ck_assert_int_eq(wd_comp_submit(c, r[i].in, r[i].n, r[i].out,
						sizeof(r[i].out), acb, &r[i]),
				 WD_OK);
	}
	ck_assert_int_eq(wd_comp_submit(c, r[0].in, 1, r[0].out, 100, acb,
					r), WD_EAGAIN);
	ck_assert_uint_eq(wd_comp_pending(c), N);
	while (done < N) {
		ret = wd_comp_poll(c, N, 5000);
		ck_assert_int_gt(ret, 0);
		done += (unsigned int)ret;
	}
	ck_assert_uint_eq(wd_comp_pending(c), 0);
	for (i = 0; i < N; i++) {
		ck_assert(r[i].done);
		ck_assert_int_eq(r[i].status, WD_OK);
		ck_assert_int_eq(wdt_ref_inflate(f, r[i].out, r[i].produced, back,
					     sizeof(back)), (long)r[i].n);
		ck_assert_mem_eq(back, r[i].in, r[i].n);
	}
	/* and back: decompress them all in flight together */
	for (i = 0; i < N; i++) {
		memcpy(r[i].in, r[i].out, r[i].produced);
		r[i].n = r[i].produced;
		r[i].done = false;
		ck_assert_int_eq(wd_comp_submit(d, r[i].in, r[i].n, r[i].out,
						sizeof(r[i].out), acb, &r[i]),
				 WD_OK);
	}
	/* with a bad one among them, which fails alone */
	for (done = 0; done < N;) {
		ret = wd_comp_poll(d, 3, -1);
		ck_assert_int_gt(ret, 0);
		ck_assert_int_le(ret, 3);
		done += (unsigned int)ret;
	}
	for (i = 0; i < N; i++) {
		size_t n = i % 9 == 8 ? 20000 : 100 + 150 * i;

		wdt_fill(back, n, i & 1, i + 11);
		ck_assert_int_eq(r[i].status, WD_OK);
		ck_assert_uint_eq(r[i].produced, n);
		ck_assert_mem_eq(r[i].out, back, n);
	}
	/* the first block of reserved type 3 */
	r[0].in[f == WD_FORMAT_RAW ? 0 : f == WD_FORMAT_ZLIB ? 2 : 10] |= 6;
	r[0].done = false;
	ck_assert_int_eq(wd_comp_submit(d, r[0].in, r[0].n, r[0].out,
					sizeof(r[0].out), acb, &r[0]), WD_OK);
	ck_assert_int_eq(wd_comp_poll(d, 1, 5000), 1);
	ck_assert_int_eq(r[0].status, WD_EBADMSG);
	/* nothing pending: poll returns at once */
	ck_assert_int_eq(wd_comp_poll(d, 1, 5000), 0);
	wd_comp_close(c);
	wd_comp_close(d);
	free(r);
}
END_TEST

START_TEST(test_close_in_flight)
{
	struct wd_comp_sess *c = open_sess(&wq, WD_FORMAT_GZIP,
					   WD_DIR_COMPRESS);
	static struct areq r[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		r[i].n = 1000;
		ck_assert_int_eq(wd_comp_submit(c, r[i].in, r[i].n, r[i].out,
						sizeof(r[i].out), acb, &r[i]),
				 WD_OK);
	}
	/* close waits for the device, runs no callback */
	wd_comp_close(c);
	ck_assert_uint_eq(wd_queue_inflight(wq.q), 0);
	for (i = 0; i < 4; i++)
		ck_assert(!r[i].done);
}
END_TEST

/*
 * An engine that keeps answering "output full, resend" to fetches of the
 * output it holds, without ever giving any: decompression fails with
 * WD_EIO after a bounded number of tries (one-shot and streaming), a few
 * such answers are ridden out, and a reset session works again.
 */
START_TEST(test_resend_stall)
{
	struct wd_comp_sess *d = open_sess(&wq2, WD_FORMAT_ZLIB,
					   WD_DIR_DECOMPRESS);
	enum { N = 2u << 20 };	/* zeros: a few KiB in, many resends out */
	uint8_t *in = calloc(1, N), *z = malloc(N), *out = malloc(N);
	struct wd_comp_buf b = { 0 };
	size_t clen, dlen;
	int ret, calls;

	clen = ref_deflate(WD_FORMAT_ZLIB, in, N, z, N, NULL);
	ck_assert_uint_lt(clen, 16 * 1024);
	/* stuck for good: one-shot gives up */
	ck_assert_int_eq(wdm_fault(&dev, "stall 100000"), 0);
	dlen = N;
	ck_assert_int_eq(wd_comp_oneshot(d, z, clen, out, &dlen), WD_EIO);
	ck_assert_int_eq(wd_comp_reset(d), WD_OK);
	/* streaming too, within a few calls */
	b.next_in = z;
	b.avail_in = clen;
	for (calls = 0; calls < 100; calls++) {
		b.next_out = out;
		b.avail_out = N;
		ret = wd_comp_stream(d, &b, WD_FLUSH_FINISH);
		if (ret != WD_OK)
			break;
	}
	ck_assert_int_eq(ret, WD_EIO);
	ck_assert_int_eq(wdm_fault(&dev, "stall 0"), 0);
	ck_assert_int_eq(wd_comp_reset(d), WD_OK);
	/* a few answers without progress, then progress: no error */
	ck_assert_int_eq(wdm_fault(&dev, "stall 3"), 0);
	ck_assert_oneshot(d, z, clen, out, N, in, N);
	wd_comp_close(d);
	free(in);
	free(z);
	free(out);
}
END_TEST

static Suite *hw_suite(void)
{
	Suite *s = suite_create("wd_hw");
	TCase *tc = tcase_create("model");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_queue_many_in_flight);
	tcase_add_test(tc, test_queue_ring_full);
	tcase_add_test(tc, test_mem_alloc);
	tcase_add_loop_test(tc, test_oneshot_roundtrip, 0, 3 * NSIZES * 2);
	tcase_add_loop_test(tc, test_oneshot_errors, 0, 3);
	tcase_add_test(tc, test_headers);
	tcase_add_loop_test(tc, test_stream_roundtrip, 0, 12);
	tcase_add_test(tc, test_stream_sync_and_trailing);
	tcase_add_loop_test(tc, test_stream_fill_at_piece_end, 0, 3);
	tcase_add_loop_test(tc, test_async, 0, 3);
	tcase_add_test(tc, test_close_in_flight);
	tcase_add_test(tc, test_resend_stall);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hw_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
