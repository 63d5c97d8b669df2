/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iova.h - device addresses in a function's IOVA window, handed out first
 * fit and given back. One space per function and process: the function's
 * instances share one IOMMU domain, so every queue a process has on it
 * must draw from the same space (struct wd_ctx), or the addresses of two
 * queues collide there.
 *
 * Threads: none of these lock; struct wd_ctx holds its spaces under its
 * own mutex.
 */
#ifndef WD_IOVA_H
#define WD_IOVA_H

#include <stddef.h>
#include <stdint.h>

#include "wd_dev.h"

struct wd_iova_range {
	uint64_t iova, len;
};

struct wd_iova_space {
	char dev[WD_NAME_MAX];		/* the function, "" for a queue's own */
	uint64_t start, end;		/* the window, end inclusive */
	struct wd_iova_range *r;	/* in use, sorted by iova */
	unsigned int n, cap;
};

void wd_iova_init(struct wd_iova_space *s, const char *dev, uint64_t start,
		  uint64_t end);
void wd_iova_fini(struct wd_iova_space *s);
/* @len bytes (page multiple) at *iova: WD_OK, WD_ENOMEM when full. */
int wd_iova_alloc(struct wd_iova_space *s, uint64_t len, uint64_t *iova);
/* Give back the range that starts at @iova. */
void wd_iova_free(struct wd_iova_space *s, uint64_t iova);

#endif /* WD_IOVA_H */
