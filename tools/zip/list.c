// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - wd-zip -l, in gzip's layout so scripts that parse it keep working.
 *
 * Like gzip, the sizes come from the file size and the last trailer (ISIZE
 * is modulo 4 GiB, and a multi-member file shows its last member's size):
 * -l is meant to be quick, not to decompress.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wd-zip.h"

#define OFF_WIDTH 19

static bool header_done;
static int64_t total_in, total_out;
static unsigned int nfiles;
static int64_t last_hdr_bytes;

static void ratio(int64_t num, int64_t den)
{
	printf("%5.1f%%", den == 0 ? 0 : 100.0 * num / den);
}

int wdz_list(int fd, const char *in_name, const char *out_name,
	     const struct stat *st)
{
	static const char month[][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct wdz_reader rd;
	struct wdz_gzhdr h;
	unsigned char tr[8];
	int64_t csize, usize = -1;
	uint32_t crc = 0xffffffff;
	time_t t;
	int ret;

	if (wdz_reader_init(&rd, fd, in_name))
		return -1;
	ret = wdz_gzip_parse(&rd, &h);
	wdz_reader_free(&rd);
	if (ret == 1) {
		wdz_err("%s: unexpected end of file", in_name);
		return -1;
	}
	if (ret == 2) {
		wdz_err("%s: not in gzip format", in_name);
		return -1;
	}
	if (ret)
		return -1;
	csize = S_ISREG(st->st_mode) ? st->st_size : -1;
	if (csize >= 18 && pread(fd, tr, 8, csize - 8) == 8) {
		crc = wdz_get32le(tr);
		usize = wdz_get32le(tr + 4);
	}
	if (!header_done) {
		header_done = true;
		if (opt.verbose > 0)
			printf("method  crc     date  time  ");
		printf("%*s %*s  ratio uncompressed_name\n", OFF_WIDTH, "compressed",
		       OFF_WIDTH, "uncompressed");
	}
	if (opt.verbose > 0) {
		struct tm *tm;

		t = h.mtime ? (time_t)h.mtime : st->st_mtime;
		tm = localtime(&t);
		printf("%5s %08x ", "defla", crc);
		if (tm)
			printf("%s%3d %02d:%02d ", month[tm->tm_mon], tm->tm_mday,
			       tm->tm_hour, tm->tm_min);
		else
			printf("??? ?? ??:?? ");
	}
	printf("%*lld %*lld ", OFF_WIDTH, (long long)csize, OFF_WIDTH,
	       (long long)usize);
	last_hdr_bytes = h.len + 8;
	if (csize < 0 || usize < 0) {
		total_in = -1;
		ratio(0, 0);
	} else {
		if (total_in >= 0)
			total_in += csize;
		if (total_out >= 0)
			total_out += usize;
		ratio(usize - (csize - last_hdr_bytes), usize);
	}
	printf(" %s\n", opt.name > 0 && h.name ? h.name : out_name);
	free(h.name);
	nfiles++;
	return 0;
}

/* gzip prints totals for more than one file, when they are known. */
void wdz_list_totals(void)
{
	if (nfiles < 2 || total_in <= 0 || total_out <= 0)
		return;
	if (opt.verbose > 0)
		printf("                            ");
	printf("%*lld %*lld ", OFF_WIDTH, (long long)total_in, OFF_WIDTH,
	       (long long)total_out);
	ratio(total_out - (total_in - last_hdr_bytes), total_out);
	printf(" (totals)\n");
}
