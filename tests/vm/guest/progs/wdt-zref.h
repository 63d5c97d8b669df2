/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdt-zref - test data, and zlib as the referee of libwd's streams, for the
 * bench's guest programs and the unit tests (tests/unit/check_wd_hw.c).
 * No global state.
 */
#ifndef WDT_ZREF_H
#define WDT_ZREF_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "wd_comp.h"

/* wdt_fill() kinds */
enum wdt_fill_kind {
	WDT_FILL_RANDOM,	/* random bytes: does not compress */
	WDT_FILL_WORDS,		/* a few words over and over: compresses well */
	WDT_FILL_MIXED,		/* words with random stretches: not to nothing */
};

/* @n bytes of @kind, the same for the same @seed. */
void wdt_fill(uint8_t *p, size_t n, enum wdt_fill_kind kind, uint64_t seed);

/* zlib's windowBits for @f: raw -15, zlib 15, gzip 31. */
int wdt_wbits(enum wd_comp_format f);

/*
 * Inflate @in as exactly one whole stream of format @f into @out; the
 * length, or -1 when it is not one valid stream, has bytes after it or
 * does not fit in @cap.
 */
long wdt_ref_inflate(enum wd_comp_format f, const uint8_t *in, size_t n,
		     uint8_t *out, size_t cap);

/*
 * Deflate @in into one stream of format @f at @level (with gzip header
 * @gh when not NULL); the length, or 0 when it does not fit in @cap.
 */
size_t wdt_ref_deflate(enum wd_comp_format f, int level, const uint8_t *in,
		       size_t n, uint8_t *out, size_t cap, gz_header *gh);

#endif
