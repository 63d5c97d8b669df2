// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-wd-comp - libFuzzer target for libwd's compression API on its
 * software engine: gzip, zlib and raw streams (headers, trailers, check
 * values) through wd_comp_oneshot(), wd_comp_stream() with input and output
 * cut into pieces the fuzzer chooses, and the async queue.
 *
 * Input: byte 0 picks the format and what to do, byte 1 seeds the piece
 * sizes, the rest is the data. Checked besides the sanitizers:
 *  - decompression: one-shot, streaming in pieces and async requests agree
 *    on the verdict and the bytes, and agree with zlib itself; a stream
 *    followed by more bytes is refused by one-shot (one stream exactly),
 *    and streaming stops at its end leaving those bytes unconsumed;
 *    total_in/total_out count what was consumed and produced;
 *  - compression: the data compressed in pieces (with sync flushes) and in
 *    one shot into wd_comp_bound() bytes decompresses to the data.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wd_comp.h"

#define OUT_MAX (64u << 20)

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

/* xorshift: the piece sizes, from the input so that a case replays. */
static unsigned int next(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static size_t piece(unsigned int *s, size_t left)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 64, 1000, 4096, 65536 };
	size_t n = sizes[next(s) % 8];

	return n < left ? n : left;
}

static struct wd_comp_sess *open_sess(enum wd_comp_format f, enum wd_comp_dir d, int level)
{
	struct wd_comp_setup s = {
		.format = f, .dir = d, .level = level,
		.engine = WD_ENGINE_SW, .numa_node = -1,
	};
	struct wd_comp_sess *sess;
	int ret = wd_comp_open(&sess, &s);

	if (ret)
		FAIL("wd_comp_open: %s", wd_strerror(ret));
	return sess;
}

static int wbits(enum wd_comp_format f)
{
	return f == WD_FORMAT_RAW ? -15 : f == WD_FORMAT_ZLIB ? 15 : 31;
}

/*
 * zlib's verdict on one stream at the start of @in: 1 and the output when it
 * ends inside @in (*used: its length), 0 otherwise.
 */
static int ref_inflate(enum wd_comp_format f, const unsigned char *in, size_t len,
		       unsigned char **out, size_t *out_len, size_t *used)
{
	z_stream zs;
	size_t cap = 1 << 16;
	int ret;

	memset(&zs, 0, sizeof(zs));
	*out = malloc(cap);
	*out_len = 0;
	if (!*out || inflateInit2(&zs, wbits(f)) != Z_OK)
		abort();
	zs.next_in = (unsigned char *)in;
	zs.avail_in = len;
	do {
		if (*out_len == cap) {
			if (cap >= OUT_MAX)
				break;
			cap *= 2;
			*out = realloc(*out, cap);
			if (!*out)
				abort();
		}
		zs.next_out = *out + *out_len;
		zs.avail_out = cap - *out_len;
		ret = inflate(&zs, Z_NO_FLUSH);
		*out_len = cap - zs.avail_out;
	} while (ret == Z_OK || (ret == Z_BUF_ERROR && !zs.avail_out));
	*used = len - zs.avail_in;
	inflateEnd(&zs);
	return ret == Z_STREAM_END;
}

/* Streaming decompression in pieces; returns the last status. */
static int stream_inflate(struct wd_comp_sess *sess, const unsigned char *in, size_t len,
			  unsigned int seed, unsigned char **out, size_t *out_len, size_t *used)
{
	struct wd_comp_buf b = { .next_in = in };
	size_t cap = 1 << 16, fed = 0;
	int ret;

	*out = malloc(cap);
	*out_len = 0;
	if (!*out)
		abort();
	for (;;) {
		size_t give = piece(&seed, len - fed), room = piece(&seed, 1 << 20);
		size_t in_before, out_before;
		enum wd_flush fl;

		if (*out_len + room > cap) {
			if (cap >= OUT_MAX) {
				ret = WD_ENOSPC;
				break;
			}
			cap *= 2;
			*out = realloc(*out, cap);
			if (!*out)
				abort();
		}
		b.avail_in = give;
		b.next_out = *out + *out_len;
		b.avail_out = room;
		in_before = b.avail_in;
		out_before = b.avail_out;
		fl = fed + give == len ? WD_FLUSH_FINISH : WD_FLUSH_NONE;
		ret = wd_comp_stream(sess, &b, fl);
		if (b.avail_in > in_before || b.avail_out > out_before)
			FAIL("stream: avail grew");
		fed += give - b.avail_in;
		*out_len += room - b.avail_out;
		if ((const unsigned char *)b.next_in != in + fed)
			FAIL("stream: next_in does not follow avail_in");
		if (b.total_in != fed || b.total_out != *out_len)
			FAIL("stream: totals %llu/%llu, consumed %zu produced %zu",
			     (unsigned long long)b.total_in, (unsigned long long)b.total_out,
			     fed, *out_len);
		if (ret)
			break;
		/* no progress with all input given and room left: stuck */
		if (fed == len && b.avail_out && in_before == b.avail_in &&
		    out_before == b.avail_out)
			FAIL("stream: no progress and no verdict");
	}
	*used = fed;
	return ret;
}

struct async_res {
	int done, status;
	size_t produced;
};

static void async_cb(void *opaque, int status, size_t consumed, size_t produced)
{
	struct async_res *r = opaque;

	(void)consumed;
	r->done++;
	r->status = status;
	r->produced = produced;
}

static void check_decompress(enum wd_comp_format f, const unsigned char *in, size_t len,
			     unsigned int seed)
{
	struct wd_comp_sess *sess = open_sess(f, WD_DIR_DECOMPRESS, 0);
	unsigned char *ref, *st, *one;
	size_t ref_len, ref_used, st_len, st_used, one_len;
	int ref_ok, ret, one_ret;
	struct async_res ar = { 0 };

	ref_ok = ref_inflate(f, in, len, &ref, &ref_len, &ref_used);

	/* one-shot: exactly one stream, nothing after it */
	one_len = ref_ok ? ref_len : 1 << 16;
	one = malloc(one_len + 1);
	ret = wd_comp_oneshot(sess, in, len, one, &one_len);
	one_ret = ret;
	if (ref_ok && ref_used == len) {
		if (ret || one_len != ref_len || memcmp(one, ref, ref_len))
			FAIL("oneshot: %s on a good stream (%zu vs %zu bytes)",
			     wd_strerror(ret), one_len, ref_len);
	} else if (ref_ok) {
		if (ret != WD_EBADMSG)
			FAIL("oneshot: %s on a stream with %zu bytes after it",
			     wd_strerror(ret), len - ref_used);
	} else if (ret == WD_OK) {
		FAIL("oneshot: accepted what zlib refuses");
	}
	/* a failed call leaves the session for reset only */
	if (wd_comp_reset(sess))
		FAIL("reset");

	ret = stream_inflate(sess, in, len, seed, &st, &st_len, &st_used);
	if (ref_ok && ref_len < OUT_MAX) {
		if (ret != WD_STREAM_END || st_used != ref_used || st_len != ref_len ||
		    memcmp(st, ref, ref_len))
			FAIL("stream: %s, used %zu/%zu, %zu/%zu bytes", wd_strerror(ret),
			     st_used, ref_used, st_len, ref_len);
	} else if (ret == WD_STREAM_END) {
		FAIL("stream: accepted what zlib refuses");
	}
	wd_comp_reset(sess);

	/* async: the same verdict as one-shot */
	if (one_ret != WD_ENOSPC) {
		size_t cap = ref_ok ? ref_len : 1 << 16;

		ret = wd_comp_submit(sess, in, len, one, cap, async_cb, &ar);
		if (ret)
			FAIL("submit: %s", wd_strerror(ret));
		if (wd_comp_pending(sess) != 1)
			FAIL("pending");
		ret = wd_comp_poll(sess, 4, 0);
		if (ret != 1 || ar.done != 1 || ar.status != one_ret ||
		    (!one_ret && (ar.produced != ref_len || memcmp(one, ref, ref_len))))
			FAIL("async: poll %d, done %d, status %s vs oneshot %s", ret, ar.done,
			     wd_strerror(ar.status), wd_strerror(one_ret));
	}
	wd_comp_close(sess);
	free(ref);
	free(st);
	free(one);
}

static void check_compress(enum wd_comp_format f, const unsigned char *in, size_t len,
			   unsigned int seed, int level)
{
	struct wd_comp_sess *c = open_sess(f, WD_DIR_COMPRESS, level);
	struct wd_comp_sess *d = open_sess(f, WD_DIR_DECOMPRESS, 0);
	size_t bound = wd_comp_bound(f, len), out_len = 0, fed = 0, back_len;
	unsigned char *out = malloc(bound + 1), *back = malloc(len + 1);
	struct wd_comp_buf b = { .next_in = in };
	int ret;

	/* one shot into wd_comp_bound() bytes: always enough */
	ret = wd_comp_oneshot(c, in, len, out, &bound);
	if (ret)
		FAIL("compress oneshot into bound: %s", wd_strerror(ret));
	back_len = len;
	ret = wd_comp_oneshot(d, out, bound, back, &back_len);
	if (ret || back_len != len || memcmp(back, in, len))
		FAIL("compress oneshot does not round-trip: %s", wd_strerror(ret));

	/* in pieces, with a sync flush now and then */
	wd_comp_reset(c);
	bound = wd_comp_bound(f, len) + len + 4096;	/* sync flushes cost bytes */
	out = realloc(out, bound);
	for (bool finishing = false;;) {
		size_t give = piece(&seed, len - fed), room = piece(&seed, bound - out_len);
		enum wd_flush fl;

		/* once finishing, all the rest and FINISH every time (as zlib) */
		if (finishing)
			give = len - fed;
		fl = fed + give == len ? WD_FLUSH_FINISH :
		     next(&seed) % 8 ? WD_FLUSH_NONE : WD_FLUSH_SYNC;
		finishing = fl == WD_FLUSH_FINISH;

		b.avail_in = give;
		b.next_out = out + out_len;
		b.avail_out = room;
		ret = wd_comp_stream(c, &b, fl);
		fed += give - b.avail_in;
		out_len += room - b.avail_out;
		if (ret == WD_STREAM_END)
			break;
		if (ret)
			FAIL("compress stream: %s", wd_strerror(ret));
		if (out_len == bound)
			FAIL("compress stream: more than %zu bytes", bound);
	}
	if (fed != len)
		FAIL("compress stream ended with input left");
	wd_comp_reset(d);
	back_len = len;
	ret = wd_comp_oneshot(d, out, out_len, back, &back_len);
	if (ret || back_len != len || memcmp(back, in, len))
		FAIL("compress stream does not round-trip: %s", wd_strerror(ret));
	wd_comp_close(c);
	wd_comp_close(d);
	free(out);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum wd_comp_format fmts[] = {
		WD_FORMAT_GZIP, WD_FORMAT_ZLIB, WD_FORMAT_RAW, WD_FORMAT_GZIP,
	};
	enum wd_comp_format f;
	unsigned int seed;

	if (size < 2)
		return 0;
	f = fmts[data[0] & 3];
	seed = data[1] | 0x100;
	if (data[0] & 4)
		check_compress(f, data + 2, size - 2, seed, 1 + (data[0] >> 3) % 9);
	else
		check_decompress(f, data + 2, size - 2, seed);
	return 0;
}
