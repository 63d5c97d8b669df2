/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmodel.h - libwd's queues on the in-process ZIP device model
 * (tests/hwmodel) for unit tests and measurements: this file plays the
 * kernel (hisi_zip + sdmdev) for set-up, libwd's own user driver does the
 * rest through its test hook (wd_queue_open_test()).
 */
#ifndef WD_TESTS_WDMODEL_H
#define WD_TESTS_WDMODEL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "queue_internal.h"
#include "zipmodel.h"

#define WDM_BASE	0x100000000ull	/* device addresses start at 4 GiB */

struct wdm {
	struct zipm *m;
	struct zipm_fn *f;
	pthread_mutex_t lock;	/* guest memory, for the model's threads */
	uint8_t *mem;
	size_t size, brk;
};

struct wdm_queue {
	struct wdm *d;
	unsigned int qn;
	uint64_t ring;		/* device address of SQ + CQ */
	struct wd_queue_test t;
	struct wd_queue *q;
};

/* A started PF with @mem bytes of device memory; 0 or -1. */
int wdm_init(struct wdm *d, size_t mem);
void wdm_fini(struct wdm *d);
/* Program queue @qn (compress) and open a libwd queue on it: 0 or WD_E*. */
int wdm_queue_open(struct wdm *d, struct wdm_queue *wq, unsigned int qn);
void wdm_queue_close(struct wdm_queue *wq);
/* Fault command for the model ("hang", "release", "fail 1 0x02", ...). */
int wdm_fault(struct wdm *d, const char *cmd);

#endif /* WD_TESTS_WDMODEL_H */
