// SPDX-License-Identifier: GPL-2.0
/*
 * wdt-zref - zlib as the referee of libwd's streams (see wdt-zref.h).
 */
#include "wdt-zref.h"

/* xorshift64 */
static uint32_t rnd(uint64_t *rs)
{
	*rs ^= *rs << 13;
	*rs ^= *rs >> 7;
	*rs ^= *rs << 17;
	return (uint32_t)(*rs >> 16);
}

void wdt_fill(uint8_t *p, size_t n, enum wdt_fill_kind kind, uint64_t seed)
{
	static const char *const w[] = { "queue ", "ring ", "zip ", "door ",
					 "bell\n", "warp ", "drive " };
	uint64_t rs = seed | 1;
	size_t i = 0;

	while (i < n) {
		if (kind == WDT_FILL_RANDOM) {
			p[i++] = (uint8_t)rnd(&rs);
		} else if (kind == WDT_FILL_MIXED && rnd(&rs) % 64 == 0) {
			size_t k = rnd(&rs) % 200;

			while (k-- && i < n)
				p[i++] = (uint8_t)rnd(&rs);
		} else {
			const char *s = w[rnd(&rs) % 7];

			while (*s && i < n)
				p[i++] = (uint8_t)*s++;
		}
	}
}

int wdt_wbits(enum wd_comp_format f)
{
	return f == WD_FORMAT_RAW ? -15 : f == WD_FORMAT_ZLIB ? 15 : 31;
}

long wdt_ref_inflate(enum wd_comp_format f, const uint8_t *in, size_t n,
		     uint8_t *out, size_t cap)
{
	z_stream z = { 0 };
	long ret = -1;

	if (inflateInit2(&z, wdt_wbits(f)) != Z_OK)
		return -1;
	z.next_in = (uint8_t *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (inflate(&z, Z_FINISH) == Z_STREAM_END && !z.avail_in)
		ret = (long)z.total_out;
	inflateEnd(&z);
	return ret;
}

size_t wdt_ref_deflate(enum wd_comp_format f, int level, const uint8_t *in,
		       size_t n, uint8_t *out, size_t cap, gz_header *gh)
{
	z_stream z = { 0 };
	size_t len = 0;

	if (deflateInit2(&z, level, Z_DEFLATED, wdt_wbits(f), 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	if (gh && deflateSetHeader(&z, gh) != Z_OK)
		goto out;
	z.next_in = (uint8_t *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) == Z_STREAM_END)
		len = z.total_out;
out:
	deflateEnd(&z);
	return len;
}
