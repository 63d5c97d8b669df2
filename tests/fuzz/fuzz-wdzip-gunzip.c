// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-wdzip-gunzip - libFuzzer target for wd-zip's side of gzip: member
 * headers (tools/zip/gzip.c: wdz_gzip_parse), trailers (CRC, ISIZE),
 * multi-member files, trailing zeros or garbage, -dcf pass-through, and
 * -l (tools/zip/list.c), on arbitrary files.
 *
 * Input: byte 0 picks the mode, the rest is the file. Besides the
 * sanitizers, the results are checked against zlib reading the same bytes
 * the way gzip does (members one after another while the next one starts
 * with the gzip magic):
 *  - whatever wd-zip decompresses without an error, zlib decompresses
 *    without an error to the same bytes (nothing corrupt accepted, no lost
 *    or invented data);
 *  - a file that is exactly a sequence of good members decompresses
 *    without an error or warning.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "wd-zip.h"

/* What tools/zip/main.c defines for the other parts: quiet versions. */
struct wdz_opts opt;
int wdz_exit;

void wdz_err(const char *fmt, ...)
{
	(void)fmt;
	wdz_exit = WDZ_ERROR;
}

void wdz_warn(const char *fmt, ...)
{
	(void)fmt;
	if (wdz_exit == WDZ_OK)
		wdz_exit = WDZ_WARNING;
}

void wdz_note(const char *fmt, ...)
{
	(void)fmt;
}

/* The biggest output we let a case make (a deflate bomb is 1032:1). */
#define OUT_MAX (64u << 20)

struct ref {
	unsigned char *out;
	size_t len;
	int ok;			/* zlib decoded the members without error */
	int exact;		/* ... and they were all of the file */
};

/* zlib's reading of a gzip file, member by member. */
static void ref_gunzip(const unsigned char *in, size_t len, struct ref *r)
{
	z_stream zs;
	size_t pos = 0, cap = 1 << 16;
	int ret, first = 1;

	memset(r, 0, sizeof(*r));
	memset(&zs, 0, sizeof(zs));
	r->out = malloc(cap);
	if (!r->out || inflateInit2(&zs, 15 + 16) != Z_OK)
		abort();
	for (;;) {
		if (!first && (len - pos < 2 || in[pos] != 0x1f || in[pos + 1] != 0x8b))
			break;
		if (!first)
			inflateReset(&zs);
		first = 0;
		zs.next_in = (unsigned char *)in + pos;
		zs.avail_in = len - pos;
		do {
			if (r->len == cap) {
				if (cap >= OUT_MAX)
					goto fail;
				cap *= 2;
				r->out = realloc(r->out, cap);
				if (!r->out)
					abort();
			}
			zs.next_out = r->out + r->len;
			zs.avail_out = cap - r->len;
			ret = inflate(&zs, Z_NO_FLUSH);
			r->len = cap - zs.avail_out;
		} while (ret == Z_OK || (ret == Z_BUF_ERROR && !zs.avail_out));
		if (ret != Z_STREAM_END)
			goto fail;
		pos = len - zs.avail_in;
		if (pos == len)
			break;
	}
	r->ok = 1;
	r->exact = pos == len && len > 0;
fail:
	inflateEnd(&zs);
}

static int memfd_with(const void *data, size_t len)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		abort();
	if (len && write(fd, data, len) != (ssize_t)len)
		abort();
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void set_opts(void)
{
	memset(&opt, 0, sizeof(opt));
	opt.decompress = true;
	opt.name = -1;
	opt.verbose = -1;
	opt.level = 6;
	opt.format = WD_FORMAT_GZIP;
	opt.blocksize = 128 * 1024;
	opt.engine = WD_ENGINE_SW;
	opt.progress = 0;
	wdz_exit = WDZ_OK;
}

/* wd-zip -dc (or -dcf with @force) of @data; returns the result and output. */
static int gunzip(const unsigned char *data, size_t len, bool force,
		  unsigned char **out, size_t *out_len, bool *passthrough)
{
	struct wdz_job job;
	struct wdz_reader rd;
	struct stat st;
	int in_fd = memfd_with(data, len), out_fd = memfd_with(NULL, 0);
	int ret;

	opt.force = force;
	opt.to_stdout = true;
	memset(&job, 0, sizeof(job));
	job.in_fd = in_fd;
	job.out_fd = out_fd;
	job.in_name = job.out_name = "fuzz";
	*passthrough = false;
	if (wdz_reader_init(&rd, in_fd, "fuzz"))
		abort();
	ret = wdz_dec_begin(&job, &rd);
	if (ret >= 0) {
		job.passthrough = ret == 1;
		*passthrough = job.passthrough;
		ret = wdz_decompress(&job, &rd);
	}
	free(job.orig_name);
	wdz_reader_free(&rd);
	if (fstat(out_fd, &st))
		abort();
	*out_len = st.st_size;
	*out = NULL;
	if (*out_len) {
		*out = malloc(*out_len);
		if (!*out || pread(out_fd, *out, *out_len, 0) != (ssize_t)*out_len)
			abort();
	}
	close(in_fd);
	close(out_fd);
	return ret;
}

static void list(const unsigned char *data, size_t len, bool verbose)
{
	struct stat st;
	int fd = memfd_with(data, len);

	if (fstat(fd, &st))
		abort();
	opt.verbose = verbose;	/* the long format too */
	wdz_list(fd, "fuzz", "fuzz.out", &st);
	close(fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* -l prints its table: not into the fuzzer's log. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	setenv("TZ", "UTC", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out;
	size_t out_len;
	bool force, passthrough;
	struct ref ref;
	int ret;

	if (size < 1)
		return 0;
	set_opts();
	force = data[0] & 2;
	if (data[0] & 4) {
		list(data + 1, size - 1, data[0] & 1);
		return 0;
	}
	data++;
	size--;
	ret = gunzip(data, size, force, &out, &out_len, &passthrough);
	if (passthrough) {
		/* -dcf on a file that is not gzip: copied as it is. */
		if (ret || out_len != size || (size && memcmp(out, data, size)))
			abort();
		free(out);
		return 0;
	}
	ref_gunzip(data, size, &ref);
	if (!ret && wdz_exit != WDZ_ERROR) {
		/* accepted: zlib agrees, byte for byte */
		if (!ref.ok || ref.len != out_len || (out_len && memcmp(ref.out, out, out_len))) {
			fprintf(stderr, "wd-zip accepted what zlib does not read the same way "
				"(zlib ok %d, %zu vs %zu bytes)\n", ref.ok, ref.len, out_len);
			abort();
		}
	}
	if (ref.exact && (ret || wdz_exit != WDZ_OK)) {
		fprintf(stderr, "wd-zip refused a good gzip file (ret %d exit %d)\n",
			ret, wdz_exit);
		abort();
	}
	free(ref.out);
	free(out);
	return 0;
}
