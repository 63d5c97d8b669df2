// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the compression API (wd_comp.h) on the software engine.
 * zlib itself is the referee: what libwd writes, zlib must read back, and
 * what zlib writes, libwd must read.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "config.h"

#include "check-oneshot.h"
#include "wd_comp.h"

#define NFORMATS 3
static const enum wd_comp_format formats[NFORMATS] = {
	WD_FORMAT_RAW, WD_FORMAT_ZLIB, WD_FORMAT_GZIP,
};

/* ---- test data ---------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64: the same bytes on every run */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fill_random(unsigned char *p, size_t len, uint64_t seed)
{
	size_t i;

	rng_state = seed | 1;
	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(rng() >> 24);
}

/* Text-like data: words from a small vocabulary, so it compresses well. */
static void fill_text(unsigned char *p, size_t len, uint64_t seed)
{
	static const char *const words[] = {
		"warp ", "drive ", "queue ", "zip ", "engine ", "deflate ",
		"ring ", "doorbell ", "session ", "stream\n", "the ", "a ",
	};
	size_t i = 0, n;
	const char *w;

	rng_state = seed | 1;
	while (i < len) {
		w = words[rng() % (sizeof(words) / sizeof(words[0]))];
		n = strlen(w);
		if (n > len - i)
			n = len - i;
		memcpy(p + i, w, n);
		i += n;
	}
}

enum kind { K_EMPTY, K_ONE, K_RANDOM, K_TEXT, K_BIG, NKINDS };

/* An input of a kind; *len set. Never NULL (empty gives a 1-byte alloc). */
static unsigned char *make_input(enum kind kind, size_t *len)
{
	static const size_t lens[NKINDS] = {
		0, 1, 100000, 300000, (1 << 20) + 13,
	};
	unsigned char *p = malloc(lens[kind] + 1);

	ck_assert_ptr_nonnull(p);
	*len = lens[kind];
	switch (kind) {
	case K_ONE:
		p[0] = 'x';
		break;
	case K_RANDOM:
		fill_random(p, *len, 42);
		break;
	case K_TEXT:
		fill_text(p, *len, 7);
		break;
	case K_BIG:
		/* both halves: stored and Huffman blocks in one stream */
		fill_text(p, *len / 2, 9);
		fill_random(p + *len / 2, *len - *len / 2, 10);
		break;
	default:
		break;
	}
	return p;
}

/* ---- zlib, the referee ------------------------------------------------- */

static int wbits(enum wd_comp_format f)
{
	return f == WD_FORMAT_RAW ? -15 : f == WD_FORMAT_ZLIB ? 15 : 31;
}

/* Inflate one whole stream with zlib; it must use every input byte. */
static unsigned char *zl_inflate(enum wd_comp_format f, const void *src,
				 size_t len, size_t want_len)
{
	unsigned char *out = malloc(want_len + 1);
	z_stream zs;

	ck_assert_ptr_nonnull(out);
	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(inflateInit2(&zs, wbits(f)), Z_OK);
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)want_len + 1;
	ck_assert_int_eq(inflate(&zs, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(zs.avail_in, 0);
	ck_assert_uint_eq(zs.total_out, want_len);
	inflateEnd(&zs);
	return out;
}

static unsigned char *zl_deflate(enum wd_comp_format f, int level,
				 const void *src, size_t len, size_t *out_len)
{
	z_stream zs;
	unsigned char *out;
	uLong cap;

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, level, Z_DEFLATED, wbits(f), 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&zs, len);
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* ---- libwd helpers ------------------------------------------------------ */

static struct wd_comp_sess *sess_open(enum wd_comp_format f,
				      enum wd_comp_dir dir, int level)
{
	struct wd_comp_setup setup = {
		.format = f, .dir = dir, .level = level,
		.engine = WD_ENGINE_SW, .numa_node = -1,
	};
	struct wd_comp_sess *sess = NULL;

	ck_assert_int_eq(wd_comp_open(&sess, &setup), WD_OK);
	ck_assert_ptr_nonnull(sess);
	return sess;
}

/* One-shot compress into a wd_comp_bound() buffer, which must suffice. */
static unsigned char *wd_compress(enum wd_comp_format f, int level,
				  const void *src, size_t len, size_t *out_len)
{
	struct wd_comp_sess *sess = sess_open(f, WD_DIR_COMPRESS, level);
	size_t cap = wd_comp_bound(f, len);
	unsigned char *out = malloc(cap);

	ck_assert_ptr_nonnull(out);
	*out_len = cap;
	ck_assert_int_eq(wd_comp_oneshot(sess, src, len, out, out_len), WD_OK);
	ck_assert_uint_le(*out_len, cap);
	wd_comp_close(sess);
	return out;
}

/* ---- round trips against zlib ------------------------------------------ */

/* _i runs over every format x input kind. */
START_TEST(test_roundtrip_vs_zlib)
{
	enum wd_comp_format f = formats[_i % NFORMATS];
	enum kind kind = _i / NFORMATS;
	struct wd_comp_sess *sess;
	unsigned char *in, *c, *d;
	size_t len, clen;

	in = make_input(kind, &len);

	/* libwd compresses, zlib inflates */
	c = wd_compress(f, 0, in, len, &clen);
	d = zl_inflate(f, c, clen, len);
	ck_assert_mem_eq(d, in, len);
	free(d);

	/* and libwd inflates its own output into an exact-size buffer */
	sess = sess_open(f, WD_DIR_DECOMPRESS, 0);
	d = malloc(len + 1);
	ck_assert_oneshot(sess, c, clen, d, len, in, len);
	free(c);

	/* zlib compresses, libwd inflates (same session, next one-shot) */
	c = zl_deflate(f, 9, in, len, &clen);
	ck_assert_oneshot(sess, c, clen, d, len + 1, in, len);
	wd_comp_close(sess);
	free(c);
	free(d);
	free(in);
}
END_TEST

START_TEST(test_level_default_is_6)
{
	unsigned char *in, *c0, *c6, *c1;
	size_t len, l0, l6, l1;

	in = make_input(K_TEXT, &len);
	c0 = wd_compress(WD_FORMAT_ZLIB, 0, in, len, &l0);
	c6 = wd_compress(WD_FORMAT_ZLIB, 6, in, len, &l6);
	c1 = wd_compress(WD_FORMAT_ZLIB, 1, in, len, &l1);
	ck_assert_uint_eq(l0, l6);
	ck_assert_mem_eq(c0, c6, l0);
	/* and the level really reaches the engine */
	ck_assert(l1 != l6 || memcmp(c1, c6, l1));
	free(c0);
	free(c6);
	free(c1);
	free(in);
}
END_TEST

/* ---- streaming ------------------------------------------------------------ */

/*
 * Compress 1 input byte and 1 output byte at a time: the pieces must form
 * ONE stream that zlib reads in one go.
 */
START_TEST(test_stream_tiny_steps_compress)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *sess = sess_open(f, WD_DIR_COMPRESS, 0);
	const size_t len = 20000;
	unsigned char in[20000], *out, *d;
	size_t cap = wd_comp_bound(f, len) + 64, left;
	struct wd_comp_buf buf = { 0 };
	unsigned long calls = 0;
	int ret;

	fill_text(in, len, 3);
	out = malloc(cap);
	buf.next_in = in;
	buf.next_out = out;
	do {
		left = len - (size_t)((const unsigned char *)buf.next_in - in);
		buf.avail_in = left ? 1 : 0;
		buf.avail_out = 1;
		ret = wd_comp_stream(sess, &buf,
				     left ? WD_FLUSH_NONE : WD_FLUSH_FINISH);
		ck_assert_int_ge(ret, 0);
		/* the stream cannot end while input is left */
		ck_assert(ret != WD_STREAM_END || !left);
		ck_assert_uint_lt(++calls, 10 * cap + len);
	} while (ret != WD_STREAM_END);
	ck_assert_uint_eq(buf.total_in, len);
	ck_assert_uint_eq(buf.total_out,
			  (size_t)((unsigned char *)buf.next_out - out));

	d = zl_inflate(f, out, buf.total_out, len);
	ck_assert_mem_eq(d, in, len);

	/* after the end: no progress, still the end */
	buf.avail_out = 1;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	ck_assert_uint_eq(buf.avail_out, 1);
	wd_comp_close(sess);
	free(d);
	free(out);
}
END_TEST

START_TEST(test_stream_tiny_steps_decompress)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *sess = sess_open(f, WD_DIR_DECOMPRESS, 0);
	const size_t len = 20000;
	unsigned char in[20000], out[20000], *c;
	struct wd_comp_buf buf = { 0 };
	unsigned long calls = 0;
	size_t clen, used;
	int ret;

	fill_text(in, len, 4);
	c = zl_deflate(f, 6, in, len, &clen);
	buf.next_in = c;
	buf.next_out = out;
	do {
		used = (size_t)((const unsigned char *)buf.next_in - c);
		ck_assert_uint_le(used, clen);
		buf.avail_in = used < clen ? 1 : 0;
		buf.avail_out = (unsigned char *)buf.next_out < out + len;
		ret = wd_comp_stream(sess, &buf, WD_FLUSH_NONE);
		ck_assert_int_ge(ret, 0);
		ck_assert_uint_lt(++calls, 2 * (clen + len) + 16);
	} while (ret != WD_STREAM_END);
	ck_assert_uint_eq(buf.total_in, clen);
	ck_assert_uint_eq(buf.total_out, len);
	ck_assert_mem_eq(out, in, len);
	wd_comp_close(sess);
	free(c);
}
END_TEST

/* Push len bytes of src through sess in odd-sized pieces; returns output. */
static unsigned char *stream_pieces(struct wd_comp_sess *sess, const void *src,
				    size_t len, size_t cap, size_t *out_len)
{
	const size_t in_step = 4093, out_step = 1021;
	struct wd_comp_buf buf = { .next_in = src };
	unsigned char *out = malloc(cap);
	size_t in_left, room;
	int ret;

	ck_assert_ptr_nonnull(out);
	buf.next_out = out;
	do {
		in_left = len - (size_t)((const unsigned char *)buf.next_in -
					 (const unsigned char *)src);
		if (!buf.avail_in)
			buf.avail_in = in_left < in_step ? in_left : in_step;
		if (!buf.avail_out) {
			room = cap - (size_t)((unsigned char *)buf.next_out -
					      out);
			ck_assert_uint_gt(room, 0);
			buf.avail_out = room < out_step ? room : out_step;
		}
		/* FINISH once the last input is in the buffer */
		ret = wd_comp_stream(sess, &buf,
				     buf.avail_in == in_left ? WD_FLUSH_FINISH :
				     WD_FLUSH_NONE);
		ck_assert_int_ge(ret, 0);
	} while (ret != WD_STREAM_END);
	ck_assert_uint_eq(buf.avail_in, 0);
	ck_assert_uint_eq(buf.total_in, len);
	*out_len = buf.total_out;
	return out;
}

/* 1 MiB+ through both directions in pieces that fit nothing evenly. */
START_TEST(test_stream_big_pieces)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *c = sess_open(f, WD_DIR_COMPRESS, 0);
	struct wd_comp_sess *d = sess_open(f, WD_DIR_DECOMPRESS, 0);
	unsigned char *in, *z, *back;
	size_t len, zlen, blen;

	in = make_input(K_BIG, &len);
	z = stream_pieces(c, in, len, wd_comp_bound(f, len) + 1024, &zlen);
	back = zl_inflate(f, z, zlen, len);
	ck_assert_mem_eq(back, in, len);
	free(back);
	back = stream_pieces(d, z, zlen, len + 1, &blen);
	ck_assert_uint_eq(blen, len);
	ck_assert_mem_eq(back, in, len);
	free(back);
	free(z);
	free(in);
	wd_comp_close(c);
	wd_comp_close(d);
}
END_TEST

/* After a SYNC flush the output so far decodes to exactly the input so far. */
START_TEST(test_stream_sync_flush)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *sess = sess_open(f, WD_DIR_COMPRESS, 0);
	unsigned char in[8000], out[16000], part[5000 + 1], *d;
	struct wd_comp_buf buf = { 0 };
	size_t sync_len;
	z_stream zs;

	fill_text(in, 5000, 11);
	fill_random(in + 5000, 3000, 12);

	buf.next_in = in;
	buf.avail_in = 5000;
	buf.next_out = out;
	buf.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_SYNC), WD_OK);
	ck_assert_uint_eq(buf.avail_in, 0);
	sync_len = buf.total_out;
	/* the flush marker: an empty stored block */
	ck_assert_uint_ge(sync_len, 4);
	ck_assert_mem_eq(out + sync_len - 4, "\0\0\xff\xff", 4);

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(inflateInit2(&zs, wbits(f)), Z_OK);
	zs.next_in = out;
	zs.avail_in = (uInt)sync_len;
	zs.next_out = part;
	zs.avail_out = sizeof(part);
	ck_assert_int_eq(inflate(&zs, Z_SYNC_FLUSH), Z_OK);
	ck_assert_uint_eq(zs.total_out, 5000);
	ck_assert_mem_eq(part, in, 5000);
	inflateEnd(&zs);

	buf.avail_in = 3000;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	ck_assert_uint_eq(buf.total_in, 8000);
	d = zl_inflate(f, out, buf.total_out, 8000);
	ck_assert_mem_eq(d, in, 8000);
	free(d);
	wd_comp_close(sess);
}
END_TEST

START_TEST(test_stream_edges)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_GZIP,
					      WD_DIR_COMPRESS, 0);
	struct wd_comp_buf buf = { 0 };
	unsigned char out[64], *d;

	/* nothing in, no room: no progress, not an error */
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_NONE), WD_OK);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH), WD_OK);
	/* finishing: no other flush accepted, and that changes nothing */
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_NONE), WD_EINVAL);
	buf.next_out = out;
	buf.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	/* an empty gzip stream */
	d = zl_inflate(WD_FORMAT_GZIP, out, buf.total_out, 0);
	free(d);
	wd_comp_close(sess);
}
END_TEST

/* Decompress, streaming: FINISH means no more input, so a cut is an error. */
START_TEST(test_stream_truncated)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *sess = sess_open(f, WD_DIR_DECOMPRESS, 0);
	unsigned char in[4000], out[4001], *c;
	struct wd_comp_buf buf = { 0 };
	size_t clen;

	fill_text(in, sizeof(in), 5);
	c = zl_deflate(f, 6, in, sizeof(in), &clen);
	buf.next_in = c;
	buf.avail_in = clen - 1;
	buf.next_out = out;
	buf.avail_out = sizeof(in);
	/* more may come: fine */
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_NONE), WD_OK);
	ck_assert_uint_eq(buf.avail_in, 0);
	ck_assert_uint_eq(buf.avail_out, 0);
	/*
	 * no more will come, but with no room left the stream may just want
	 * room: no progress, WD_OK. Given room, it is plainly truncated.
	 */
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH), WD_OK);
	buf.avail_out = 1;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_EBADMSG);
	/* the failure sticks until reset */
	buf.next_in = c + clen - 1;
	buf.avail_in = 1;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_EBADMSG);
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	buf.next_in = c;
	buf.avail_in = clen;
	buf.next_out = out;
	buf.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	ck_assert_uint_eq(buf.total_in, clen);
	ck_assert_mem_eq(out, in, sizeof(in));
	wd_comp_close(sess);
	free(c);
}
END_TEST

/* Two gzip members back to back: stream, reset, stream. */
START_TEST(test_gzip_multi_member)
{
	struct wd_comp_sess *sess;
	unsigned char a[3000], b[5000], out[8001], *m1, *m2, *cat;
	struct wd_comp_buf buf = { 0 };
	size_t l1, l2, n;

	fill_text(a, sizeof(a), 21);
	fill_random(b, sizeof(b), 22);
	m1 = wd_compress(WD_FORMAT_GZIP, 0, a, sizeof(a), &l1);
	m2 = zl_deflate(WD_FORMAT_GZIP, 6, b, sizeof(b), &l2);
	cat = malloc(l1 + l2);
	memcpy(cat, m1, l1);
	memcpy(cat + l1, m2, l2);

	sess = sess_open(WD_FORMAT_GZIP, WD_DIR_DECOMPRESS, 0);
	buf.next_in = cat;
	buf.avail_in = l1 + l2;
	buf.next_out = out;
	buf.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	/* the second member is left unconsumed */
	ck_assert_uint_eq(buf.avail_in, l2);
	ck_assert_ptr_eq(buf.next_in, cat + l1);
	ck_assert_uint_eq(buf.total_in, l1);
	ck_assert_uint_eq(buf.total_out, sizeof(a));
	/* without a reset the stream stays ended */
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	ck_assert_uint_eq(buf.avail_in, l2);

	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	ck_assert_uint_eq(buf.avail_in, 0);
	/* totals count the current member only */
	ck_assert_uint_eq(buf.total_in, l2);
	ck_assert_uint_eq(buf.total_out, sizeof(b));
	ck_assert_uint_eq(buf.avail_out, 1);
	ck_assert_mem_eq(out, a, sizeof(a));
	ck_assert_mem_eq(out + sizeof(a), b, sizeof(b));

	/* one-shot takes exactly one member: trailing bytes are corrupt */
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	n = sizeof(out);
	ck_assert_int_eq(wd_comp_oneshot(sess, cat, l1 + l2, out, &n),
			 WD_EBADMSG);
	ck_assert_uint_eq(n, sizeof(out));
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	ck_assert_int_eq(wd_comp_oneshot(sess, cat, l1, out, &n), WD_OK);
	ck_assert_uint_eq(n, sizeof(a));
	ck_assert_mem_eq(out, a, sizeof(a));
	wd_comp_close(sess);
	free(cat);
	free(m1);
	free(m2);
}
END_TEST

/* ---- one-shot errors ------------------------------------------------------ */

START_TEST(test_enospc_and_retry)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *c = sess_open(f, WD_DIR_COMPRESS, 0);
	struct wd_comp_sess *d = sess_open(f, WD_DIR_DECOMPRESS, 0);
	unsigned char in[10000], *out, back[10000];
	size_t cap = wd_comp_bound(f, sizeof(in)), n;

	fill_random(in, sizeof(in), 31);
	out = malloc(cap);

	n = 100;
	ck_assert_int_eq(wd_comp_oneshot(c, in, sizeof(in), out, &n),
			 WD_ENOSPC);
	ck_assert_uint_eq(n, 100);
	/* no room at all, even for an empty input's stream */
	n = 0;
	ck_assert_int_eq(wd_comp_oneshot(c, in, 0, NULL, &n), WD_ENOSPC);
	/* WD_ENOSPC changes nothing: the same session retries */
	n = cap;
	ck_assert_int_eq(wd_comp_oneshot(c, in, sizeof(in), out, &n), WD_OK);

	cap = n;
	n = sizeof(back) - 1;
	ck_assert_int_eq(wd_comp_oneshot(d, out, cap, back, &n), WD_ENOSPC);
	ck_assert_uint_eq(n, sizeof(back) - 1);
	n = sizeof(back);
	ck_assert_int_eq(wd_comp_oneshot(d, out, cap, back, &n), WD_OK);
	ck_assert_uint_eq(n, sizeof(back));
	ck_assert_mem_eq(back, in, sizeof(in));
	wd_comp_close(c);
	wd_comp_close(d);
	free(out);
}
END_TEST

static void expect_badmsg(enum wd_comp_format f, const unsigned char *src,
			  size_t len)
{
	struct wd_comp_sess *sess = sess_open(f, WD_DIR_DECOMPRESS, 0);
	unsigned char out[20000];
	size_t n = sizeof(out);

	ck_assert_int_eq(wd_comp_oneshot(sess, src, len, out, &n), WD_EBADMSG);
	ck_assert_uint_eq(n, sizeof(out));
	wd_comp_close(sess);
}

START_TEST(test_ebadmsg)
{
	enum wd_comp_format f = formats[_i];
	struct wd_comp_sess *sess;
	unsigned char in[10000], out[10000], *c, *bad;
	size_t clen, n;

	fill_text(in, sizeof(in), 41);
	c = wd_compress(f, 0, in, sizeof(in), &clen);
	bad = malloc(clen + 1);

	/* truncated: empty, half, all but the last byte */
	expect_badmsg(f, c, 0);
	expect_badmsg(f, c, clen / 2);
	expect_badmsg(f, c, clen - 1);
	/* trailing garbage after a complete stream */
	memcpy(bad, c, clen);
	bad[clen] = 0;
	expect_badmsg(f, bad, clen + 1);

	/* corrupt start: a reserved block type, bad magic, bad method */
	memcpy(bad, c, clen);
	bad[0] = f == WD_FORMAT_RAW ? 0xff : bad[0] ^ 0x0f;
	expect_badmsg(f, bad, clen);
	/*
	 * corrupt end: the check value of zlib and gzip; raw deflate has
	 * none, so there a stored block whose NLEN is not ~LEN
	 */
	memcpy(bad, c, clen);
	if (f == WD_FORMAT_ZLIB) {
		bad[clen - 1] ^= 1;		/* Adler-32 */
		expect_badmsg(f, bad, clen);
	} else if (f == WD_FORMAT_GZIP) {
		bad[clen - 8] ^= 1;		/* CRC-32 */
		expect_badmsg(f, bad, clen);
	} else {
		expect_badmsg(f, (const unsigned char *)
			      "\x01\x05\x00\x00\x00hello", 10);
	}
	if (f == WD_FORMAT_GZIP) {
		memcpy(bad, c, clen);
		bad[clen - 4] ^= 1;		/* ISIZE */
		expect_badmsg(f, bad, clen);
	}

	/* a failed one-shot sticks until reset; then all is well */
	sess = sess_open(f, WD_DIR_DECOMPRESS, 0);
	n = sizeof(out);
	ck_assert_int_eq(wd_comp_oneshot(sess, c, clen - 1, out, &n),
			 WD_EBADMSG);
	ck_assert_int_eq(wd_comp_oneshot(sess, c, clen, out, &n), WD_EBADMSG);
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	ck_assert_int_eq(wd_comp_oneshot(sess, c, clen, out, &n), WD_OK);
	ck_assert_mem_eq(out, in, sizeof(in));
	wd_comp_close(sess);
	free(bad);
	free(c);
}
END_TEST

/* ---- wd_comp_bound -------------------------------------------------------- */

/* _i: the format. Every level, random and text, sizes around block edges. */
START_TEST(test_bound_holds)
{
	static const size_t lens[] = {
		0, 1, 2, 255, 16383, 16384, 65535, 65537, 300001,
	};
	enum wd_comp_format f = formats[_i];
	unsigned char *in, *out;
	size_t i, n, cap, max = 300001;
	int level, kind;

	in = malloc(max);
	out = malloc(wd_comp_bound(f, max));
	for (kind = 0; kind < 2; kind++) {
		if (kind)
			fill_text(in, max, 51);
		else
			fill_random(in, max, 52);
		for (level = 0; level <= 9; level++) {
			struct wd_comp_sess *sess =
				sess_open(f, WD_DIR_COMPRESS, level);

			for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
				cap = wd_comp_bound(f, lens[i]);
				n = cap;
				ck_assert_int_eq(wd_comp_oneshot(sess, in,
						lens[i], out, &n), WD_OK);
				ck_assert_uint_le(n, cap);
			}
			wd_comp_close(sess);
		}
	}
	free(in);
	free(out);
}
END_TEST

/* Never below zlib's own guarantee, at any length; saturates at the top. */
START_TEST(test_bound_vs_zlib)
{
	enum wd_comp_format f = formats[_i];
	uint64_t len;
	z_stream zs;
	int level;

	for (level = 1; level <= 9; level++) {
		memset(&zs, 0, sizeof(zs));
		ck_assert_int_eq(deflateInit2(&zs, level, Z_DEFLATED,
					      wbits(f), 8,
					      Z_DEFAULT_STRATEGY), Z_OK);
		for (len = 0; len < 70000; len += 97)
			ck_assert_uint_ge(wd_comp_bound(f, len),
					  deflateBound(&zs, len));
		for (len = 1; len < ((uint64_t)1 << 50); len = len * 3 + 1)
			ck_assert_uint_ge(wd_comp_bound(f, len),
					  deflateBound(&zs, len));
		deflateEnd(&zs);
	}
	ck_assert_uint_eq(wd_comp_bound(f, SIZE_MAX), SIZE_MAX);
	ck_assert_uint_eq(wd_comp_bound(f, SIZE_MAX - 100), SIZE_MAX);
	ck_assert_uint_eq(wd_comp_bound(0, 100), 0);
}
END_TEST

/* ---- dictionary ------------------------------------------------------------ */

/* Compress @len bytes of @in as a raw stream with @flush; return the size. */
static size_t raw_chunk(struct wd_comp_sess *sess, const void *in, size_t len,
			unsigned char *out, size_t cap, enum wd_flush flush)
{
	struct wd_comp_buf buf = {
		.next_in = in, .avail_in = len,
		.next_out = out, .avail_out = cap,
	};

	ck_assert_int_eq(wd_comp_stream(sess, &buf, flush),
			 flush == WD_FLUSH_FINISH ? WD_STREAM_END : WD_OK);
	ck_assert_uint_eq(buf.avail_in, 0);
	ck_assert_uint_gt(buf.avail_out, 0);
	return buf.total_out;
}

/*
 * Parallel chunks: the second chunk is compressed on its own session with
 * the first as dictionary; the two outputs concatenated are one raw stream.
 */
START_TEST(test_dictionary_chunks)
{
	struct wd_comp_sess *s1, *s2, *s3;
	unsigned char a[20000], b[20000], ab[40000], *o1, *o2, *d;
	size_t l1, l2, l3, cap = wd_comp_bound(WD_FORMAT_RAW, 20000);

	fill_random(a, sizeof(a), 61);
	/* b repeats much of a: only a dictionary lets it compress */
	memcpy(b, a + 5000, 15000);
	fill_random(b + 15000, 5000, 62);
	o1 = malloc(2 * cap);
	o2 = malloc(2 * cap);

	s1 = sess_open(WD_FORMAT_RAW, WD_DIR_COMPRESS, 0);
	l1 = raw_chunk(s1, a, sizeof(a), o1, cap, WD_FLUSH_SYNC);

	s2 = sess_open(WD_FORMAT_RAW, WD_DIR_COMPRESS, 0);
	ck_assert_int_eq(wd_comp_set_dictionary(s2, a, sizeof(a)), WD_OK);
	l2 = raw_chunk(s2, b, sizeof(b), o2, cap, WD_FLUSH_FINISH);

	s3 = sess_open(WD_FORMAT_RAW, WD_DIR_COMPRESS, 0);
	l3 = raw_chunk(s3, b, sizeof(b), o2 + cap, cap, WD_FLUSH_FINISH);
	ck_assert_uint_lt(l2, l3 / 2);

	memcpy(o1 + l1, o2, l2);
	memcpy(ab, a, sizeof(a));
	memcpy(ab + sizeof(a), b, sizeof(b));
	d = zl_inflate(WD_FORMAT_RAW, o1, l1 + l2, sizeof(ab));
	ck_assert_mem_eq(d, ab, sizeof(ab));
	free(d);

	/* after the stream's first byte: too late */
	ck_assert_int_eq(wd_comp_set_dictionary(s2, a, 10), WD_EBUSY);
	/* reset forgets it; a dictionary then a one-shot is a mode mix */
	ck_assert_int_eq(wd_comp_reset(s2), WD_OK);
	ck_assert_int_eq(wd_comp_set_dictionary(s2, a, 10), WD_OK);
	l1 = cap;
	ck_assert_int_eq(wd_comp_oneshot(s2, b, 10, o1, &l1), WD_EBUSY);
	wd_comp_close(s1);
	wd_comp_close(s2);
	wd_comp_close(s3);
	free(o1);
	free(o2);
}
END_TEST

/* A dictionary over 32 KiB: only its last 32 KiB count. */
START_TEST(test_dictionary_long)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_RAW,
					      WD_DIR_COMPRESS, 9);
	static unsigned char dict[100000];
	unsigned char b[8000], out[9000], back[8001];
	size_t n;
	z_stream zs;

	fill_random(dict, sizeof(dict), 71);
	memcpy(b, dict + sizeof(dict) - 8000, 8000);
	/* NULL, 0 is accepted and changes nothing */
	ck_assert_int_eq(wd_comp_set_dictionary(sess, NULL, 0), WD_OK);
	ck_assert_int_eq(wd_comp_set_dictionary(sess, dict, sizeof(dict)),
			 WD_OK);
	n = raw_chunk(sess, b, sizeof(b), out, sizeof(out), WD_FLUSH_FINISH);
	/* 8000 bytes as ~31 matches reaching into the dictionary */
	ck_assert_uint_lt(n, 400);

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(inflateInit2(&zs, -15), Z_OK);
	ck_assert_int_eq(inflateSetDictionary(&zs,
			 dict + sizeof(dict) - 32768, 32768), Z_OK);
	zs.next_in = out;
	zs.avail_in = (uInt)n;
	zs.next_out = back;
	zs.avail_out = sizeof(back);
	ck_assert_int_eq(inflate(&zs, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(zs.total_out, sizeof(b));
	ck_assert_mem_eq(back, b, sizeof(b));
	inflateEnd(&zs);
	wd_comp_close(sess);
}
END_TEST

/* Two dictionaries before the first byte act as one, the first first. */
START_TEST(test_dictionary_twice)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_RAW,
					      WD_DIR_COMPRESS, 0);
	static unsigned char d[40000], b[32000], out[4000], back[32001];
	size_t n;
	z_stream zs;

	fill_random(d, sizeof(d), 72);
	/* b reaches 32000 bytes back: into the first dictionary */
	memcpy(b, d + 8000, sizeof(b));
	ck_assert_int_eq(wd_comp_set_dictionary(sess, d, 20000), WD_OK);
	ck_assert_int_eq(wd_comp_set_dictionary(sess, d + 20000, 20000),
			 WD_OK);
	n = raw_chunk(sess, b, sizeof(b), out, sizeof(out), WD_FLUSH_FINISH);
	ck_assert_uint_lt(n, 2000);

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(inflateInit2(&zs, -15), Z_OK);
	ck_assert_int_eq(inflateSetDictionary(&zs, d + 8000, 32000), Z_OK);
	zs.next_in = out;
	zs.avail_in = (uInt)n;
	zs.next_out = back;
	zs.avail_out = sizeof(back);
	ck_assert_int_eq(inflate(&zs, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(zs.total_out, sizeof(b));
	ck_assert_mem_eq(back, b, sizeof(b));
	inflateEnd(&zs);
	wd_comp_close(sess);
}
END_TEST

START_TEST(test_dictionary_unsupported)
{
	struct wd_comp_sess *sess;
	int i;

	for (i = 0; i < NFORMATS; i++) {
		sess = sess_open(formats[i], WD_DIR_DECOMPRESS, 0);
		ck_assert_int_eq(wd_comp_set_dictionary(sess, "ab", 2),
				 WD_EOPNOTSUPP);
		wd_comp_close(sess);
		if (formats[i] == WD_FORMAT_RAW)
			continue;
		sess = sess_open(formats[i], WD_DIR_COMPRESS, 0);
		ck_assert_int_eq(wd_comp_set_dictionary(sess, "ab", 2),
				 WD_EOPNOTSUPP);
		wd_comp_close(sess);
	}
	sess = sess_open(WD_FORMAT_RAW, WD_DIR_COMPRESS, 0);
	ck_assert_int_eq(wd_comp_set_dictionary(sess, NULL, 2), WD_EINVAL);
	ck_assert_int_eq(wd_comp_set_dictionary(NULL, "ab", 2), WD_EINVAL);
	wd_comp_close(sess);
}
END_TEST

/* ---- async ------------------------------------------------------------------ */

struct done {
	int calls;
	int status[80];
	size_t consumed[80];
	size_t produced[80];
	int order[80];
};

struct tag {
	struct done *done;
	int id;
};

static void on_done(void *opaque, int status, size_t consumed,
		    size_t produced)
{
	struct tag *t = opaque;
	struct done *d = t->done;

	ck_assert_int_lt(d->calls, 80);
	d->order[d->calls] = t->id;
	d->status[t->id] = status;
	d->consumed[t->id] = consumed;
	d->produced[t->id] = produced;
	d->calls++;
}

START_TEST(test_async_basic)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_GZIP,
					      WD_DIR_COMPRESS, 0);
	unsigned char in[5][3000], out[5][4000], *d;
	struct tag tags[5];
	struct done done = { 0 };
	int i;

	/* nothing pending: returns at once, even with no timeout */
	ck_assert_int_eq(wd_comp_poll(sess, 8, -1), 0);
	for (i = 0; i < 5; i++) {
		fill_text(in[i], sizeof(in[i]), 80 + i);
		tags[i].done = &done;
		tags[i].id = i;
		ck_assert_int_eq(wd_comp_submit(sess, in[i], sizeof(in[i]),
						out[i], sizeof(out[i]),
						on_done, &tags[i]), WD_OK);
		ck_assert_uint_eq(wd_comp_pending(sess), i + 1);
	}
	/* callbacks run only from poll */
	ck_assert_int_eq(done.calls, 0);
	ck_assert_int_eq(wd_comp_poll(sess, 2, 0), 2);
	ck_assert_int_eq(done.calls, 2);
	ck_assert_uint_eq(wd_comp_pending(sess), 3);
	ck_assert_int_eq(wd_comp_poll(sess, 100, -1), 3);
	ck_assert_uint_eq(wd_comp_pending(sess), 0);
	ck_assert_int_eq(wd_comp_poll(sess, 100, 10), 0);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(done.order[i], i);
		ck_assert_int_eq(done.status[i], WD_OK);
		ck_assert_uint_eq(done.consumed[i], sizeof(in[i]));
		d = zl_inflate(WD_FORMAT_GZIP, out[i], done.produced[i],
			       sizeof(in[i]));
		ck_assert_mem_eq(d, in[i], sizeof(in[i]));
		free(d);
	}
	wd_comp_close(sess);
}
END_TEST

START_TEST(test_async_queue_full)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_RAW,
					      WD_DIR_COMPRESS, 1);
	static unsigned char out[65][64];
	struct tag tags[65];
	struct done done = { 0 };
	int i;

	for (i = 0; i < 65; i++) {
		tags[i].done = &done;
		tags[i].id = i;
	}
	for (i = 0; i < 64; i++)
		ck_assert_int_eq(wd_comp_submit(sess, "abc", 3, out[i], 64,
						on_done, &tags[i]), WD_OK);
	ck_assert_int_eq(wd_comp_submit(sess, "abc", 3, out[64], 64,
					on_done, &tags[64]), WD_EAGAIN);
	ck_assert_uint_eq(wd_comp_pending(sess), 64);
	ck_assert_int_eq(wd_comp_poll(sess, 1, 0), 1);
	ck_assert_int_eq(wd_comp_submit(sess, "abc", 3, out[64], 64,
					on_done, &tags[64]), WD_OK);
	ck_assert_uint_eq(wd_comp_pending(sess), 64);
	/* close cancels: no callback runs */
	wd_comp_close(sess);
	ck_assert_int_eq(done.calls, 1);
}
END_TEST

/* A failed request reports in its callback; the session goes on. */
START_TEST(test_async_errors)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_ZLIB,
					      WD_DIR_DECOMPRESS, 0);
	unsigned char in[2000], out[2000], *c;
	struct tag tags[3];
	struct done done = { 0 };
	size_t clen;
	int i;

	fill_text(in, sizeof(in), 90);
	c = zl_deflate(WD_FORMAT_ZLIB, 6, in, sizeof(in), &clen);
	for (i = 0; i < 3; i++) {
		tags[i].done = &done;
		tags[i].id = i;
	}
	ck_assert_int_eq(wd_comp_submit(sess, c, clen - 2, out, sizeof(out),
					on_done, &tags[0]), WD_OK);
	ck_assert_int_eq(wd_comp_submit(sess, c, clen, out, 100,
					on_done, &tags[1]), WD_OK);
	ck_assert_int_eq(wd_comp_submit(sess, c, clen, out, sizeof(out),
					on_done, &tags[2]), WD_OK);
	ck_assert_int_eq(wd_comp_poll(sess, 3, 0), 3);
	ck_assert_int_eq(done.status[0], WD_EBADMSG);
	ck_assert_int_eq(done.status[1], WD_ENOSPC);
	ck_assert_uint_eq(done.produced[1], 0);
	ck_assert_int_eq(done.status[2], WD_OK);
	ck_assert_uint_eq(done.consumed[2], clen);
	ck_assert_uint_eq(done.produced[2], sizeof(in));
	ck_assert_mem_eq(out, in, sizeof(in));
	wd_comp_close(sess);
	free(c);
}
END_TEST

struct reenter {
	struct wd_comp_sess *sess;
	int calls;
	int reset_ret;
	int poll_ret;
	int submit_ret;
	unsigned char out[64];
};

static void on_reenter(void *opaque, int status, size_t consumed,
		       size_t produced)
{
	struct reenter *r = opaque;

	ck_assert_int_eq(status, WD_OK);
	if (r->calls++)
		return;
	r->reset_ret = wd_comp_reset(r->sess);
	r->poll_ret = wd_comp_poll(r->sess, 1, 0);
	r->submit_ret = wd_comp_submit(r->sess, "xyz", 3, r->out,
				       sizeof(r->out), on_reenter, r);
}

START_TEST(test_async_callback_reentry)
{
	struct reenter r = { 0 };

	r.sess = sess_open(WD_FORMAT_RAW, WD_DIR_COMPRESS, 0);
	ck_assert_int_eq(wd_comp_submit(r.sess, "abc", 3, r.out, sizeof(r.out),
					on_reenter, &r), WD_OK);
	/* the request submitted by the callback completes in the same poll */
	ck_assert_int_eq(wd_comp_poll(r.sess, 10, 0), 2);
	ck_assert_int_eq(r.calls, 2);
	ck_assert_int_eq(r.reset_ret, WD_EBUSY);
	ck_assert_int_eq(r.poll_ret, WD_EBUSY);
	ck_assert_int_eq(r.submit_ret, WD_OK);
	ck_assert_uint_eq(wd_comp_pending(r.sess), 0);
	wd_comp_close(r.sess);
}
END_TEST

/* ---- modes --------------------------------------------------------------- */

static void noop_cb(void *opaque, int status, size_t consumed,
		    size_t produced)
{
}

START_TEST(test_mode_mixing)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_ZLIB,
					      WD_DIR_COMPRESS, 0);
	unsigned char out[256];
	struct wd_comp_buf buf = { .next_in = "abc", .avail_in = 3,
				   .next_out = out, .avail_out = sizeof(out) };
	size_t n = sizeof(out);

	/* poll on an idle session does not pick a mode */
	ck_assert_int_eq(wd_comp_poll(sess, 1, 0), 0);

	/* one-shot, then the others */
	ck_assert_int_eq(wd_comp_oneshot(sess, "abc", 3, out, &n), WD_OK);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_NONE), WD_EBUSY);
	ck_assert_int_eq(wd_comp_submit(sess, "abc", 3, out, sizeof(out),
					noop_cb, NULL), WD_EBUSY);
	ck_assert_int_eq(wd_comp_poll(sess, 1, 0), WD_EBUSY);
	ck_assert_uint_eq(buf.avail_in, 3);
	/* WD_EBUSY changed nothing: one-shot still works */
	n = sizeof(out);
	ck_assert_int_eq(wd_comp_oneshot(sess, "abc", 3, out, &n), WD_OK);

	/* streaming, then the others */
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_NONE), WD_OK);
	n = sizeof(out);
	ck_assert_int_eq(wd_comp_oneshot(sess, "abc", 3, out, &n), WD_EBUSY);
	ck_assert_int_eq(wd_comp_submit(sess, "abc", 3, out, sizeof(out),
					noop_cb, NULL), WD_EBUSY);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);

	/* async, then the others */
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	ck_assert_int_eq(wd_comp_submit(sess, "abc", 3, out, sizeof(out),
					noop_cb, NULL), WD_OK);
	ck_assert_int_eq(wd_comp_oneshot(sess, "abc", 3, out, &n), WD_EBUSY);
	buf.next_in = "abc";
	buf.avail_in = 3;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_NONE), WD_EBUSY);
	/* reset drops the queued request without its callback */
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);
	ck_assert_uint_eq(wd_comp_pending(sess), 0);
	ck_assert_int_eq(wd_comp_oneshot(sess, "abc", 3, out, &n), WD_OK);
	wd_comp_close(sess);
}
END_TEST

/* ---- engines and arguments ------------------------------------------------- */

START_TEST(test_engines)
{
	struct wd_comp_setup setup = {
		.format = WD_FORMAT_GZIP, .dir = WD_DIR_COMPRESS,
		.engine = WD_ENGINE_AUTO, .numa_node = -1,
	};
	struct wd_comp_sess *sess = NULL, *keep = (struct wd_comp_sess *)&setup;

	ck_assert_str_eq(wd_engine_name(WD_ENGINE_AUTO), "auto");
	ck_assert_str_eq(wd_engine_name(WD_ENGINE_HW), "hw");
	ck_assert_str_eq(wd_engine_name(WD_ENGINE_SW), "sw");
	ck_assert_str_eq(wd_engine_name((enum wd_engine)7), "unknown");

	/* no accelerator in a unit test: AUTO is software */
	ck_assert_int_eq(wd_comp_open(&sess, &setup), WD_OK);
	ck_assert_int_eq(wd_comp_engine(sess), WD_ENGINE_SW);
	wd_comp_close(sess);
	setup.engine = WD_ENGINE_SW;
	setup.numa_node = 0;	/* a hint the software engine may ignore */
	ck_assert_int_eq(wd_comp_open(&sess, &setup), WD_OK);
	ck_assert_int_eq(wd_comp_engine(sess), WD_ENGINE_SW);
	wd_comp_close(sess);
	/* hardware only: no device; *sess untouched */
	setup.engine = WD_ENGINE_HW;
	sess = keep;
	ck_assert_int_eq(wd_comp_open(&sess, &setup), WD_ENODEV);
	ck_assert_ptr_eq(sess, keep);
	ck_assert_int_eq(wd_comp_engine(NULL), WD_ENGINE_AUTO);
}
END_TEST

START_TEST(test_open_arguments)
{
	const struct wd_comp_setup good = {
		.format = WD_FORMAT_RAW, .dir = WD_DIR_DECOMPRESS,
		.level = 9, .engine = WD_ENGINE_SW, .numa_node = -1,
	};
	struct wd_comp_setup bad;
	struct wd_comp_sess *sess = NULL;

	ck_assert_int_eq(wd_comp_open(NULL, &good), WD_EINVAL);
	ck_assert_int_eq(wd_comp_open(&sess, NULL), WD_EINVAL);
	bad = good;
	bad.format = 0;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad.format = 4;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad = good;
	bad.dir = 2;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad = good;
	bad.level = 10;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad.level = -1;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad = good;
	bad.engine = 3;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad = good;
	bad.numa_node = -2;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	bad = good;
	bad.flags = 1U << 5;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_EINVAL);
	ck_assert_ptr_null(sess);
	ck_assert_int_eq(wd_comp_open(&sess, &good), WD_OK);
	wd_comp_close(sess);
	bad = good;
	bad.flags = WD_COMP_SPREAD;
	ck_assert_int_eq(wd_comp_open(&sess, &bad), WD_OK);
	wd_comp_close(sess);
	wd_comp_close(NULL);
}
END_TEST

/* Argument errors are caught before anything happens: the session lives. */
START_TEST(test_call_arguments)
{
	struct wd_comp_sess *sess = sess_open(WD_FORMAT_ZLIB,
					      WD_DIR_COMPRESS, 0);
	unsigned char out[64];
	struct wd_comp_buf buf = { 0 };
	size_t n = sizeof(out);

	ck_assert_int_eq(wd_comp_oneshot(NULL, "a", 1, out, &n), WD_EINVAL);
	ck_assert_int_eq(wd_comp_oneshot(sess, "a", 1, out, NULL), WD_EINVAL);
	ck_assert_int_eq(wd_comp_oneshot(sess, NULL, 1, out, &n), WD_EINVAL);
	ck_assert_int_eq(wd_comp_oneshot(sess, "a", 1, NULL, &n), WD_EINVAL);
	ck_assert_uint_eq(n, sizeof(out));
	ck_assert_int_eq(wd_comp_oneshot(sess, "a", 1, out, &n), WD_OK);
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);

	ck_assert_int_eq(wd_comp_stream(NULL, &buf, 0), WD_EINVAL);
	ck_assert_int_eq(wd_comp_stream(sess, NULL, 0), WD_EINVAL);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, 3), WD_EINVAL);
	buf.avail_in = 1;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, 0), WD_EINVAL);
	buf.avail_in = 0;
	buf.avail_out = 1;
	ck_assert_int_eq(wd_comp_stream(sess, &buf, 0), WD_EINVAL);
	buf.next_out = out;
	buf.avail_out = sizeof(out);
	ck_assert_int_eq(wd_comp_stream(sess, &buf, WD_FLUSH_FINISH),
			 WD_STREAM_END);
	ck_assert_int_eq(wd_comp_reset(sess), WD_OK);

	ck_assert_int_eq(wd_comp_submit(NULL, "a", 1, out, 64, noop_cb, NULL),
			 WD_EINVAL);
	ck_assert_int_eq(wd_comp_submit(sess, "a", 1, out, 64, NULL, NULL),
			 WD_EINVAL);
	ck_assert_int_eq(wd_comp_submit(sess, NULL, 1, out, 64, noop_cb, NULL),
			 WD_EINVAL);
	ck_assert_int_eq(wd_comp_submit(sess, "a", 1, NULL, 64, noop_cb, NULL),
			 WD_EINVAL);
	ck_assert_int_eq(wd_comp_poll(NULL, 1, 0), WD_EINVAL);
	ck_assert_int_eq(wd_comp_poll(sess, 0, 0), WD_EINVAL);
	ck_assert_int_eq(wd_comp_poll(sess, 1, -2), WD_EINVAL);
	ck_assert_uint_eq(wd_comp_pending(sess), 0);
	ck_assert_uint_eq(wd_comp_pending(NULL), 0);
	ck_assert_int_eq(wd_comp_reset(NULL), WD_EINVAL);
	wd_comp_close(sess);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wd_comp");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	/* 1 MiB inputs at every level: more than check's 4 s on slow boxes */
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_roundtrip_vs_zlib, 0, NFORMATS * NKINDS);
	tcase_add_test(tc, test_level_default_is_6);
	tcase_add_loop_test(tc, test_stream_tiny_steps_compress, 0, NFORMATS);
	tcase_add_loop_test(tc, test_stream_tiny_steps_decompress, 0, NFORMATS);
	tcase_add_loop_test(tc, test_stream_big_pieces, 0, NFORMATS);
	tcase_add_loop_test(tc, test_stream_sync_flush, 0, NFORMATS);
	tcase_add_test(tc, test_stream_edges);
	tcase_add_loop_test(tc, test_stream_truncated, 0, NFORMATS);
	tcase_add_test(tc, test_gzip_multi_member);
	tcase_add_loop_test(tc, test_enospc_and_retry, 0, NFORMATS);
	tcase_add_loop_test(tc, test_ebadmsg, 0, NFORMATS);
	tcase_add_loop_test(tc, test_bound_holds, 0, NFORMATS);
	tcase_add_loop_test(tc, test_bound_vs_zlib, 0, NFORMATS);
	tcase_add_test(tc, test_dictionary_chunks);
	tcase_add_test(tc, test_dictionary_long);
	tcase_add_test(tc, test_dictionary_twice);
	tcase_add_test(tc, test_dictionary_unsupported);
	tcase_add_test(tc, test_async_basic);
	tcase_add_test(tc, test_async_queue_full);
	tcase_add_test(tc, test_async_errors);
	tcase_add_test(tc, test_async_callback_reentry);
	tcase_add_test(tc, test_mode_mixing);
	tcase_add_test(tc, test_engines);
	tcase_add_test(tc, test_open_arguments);
	tcase_add_test(tc, test_call_arguments);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
