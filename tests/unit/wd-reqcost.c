// SPDX-License-Identifier: GPL-2.0
/*
 * wd-reqcost - a workload for measuring what libwd itself costs per request
 * (tests/bench/libwd-callgrind runs it under callgrind). libwd drives the
 * in-process ZIP model with 1-byte payloads; the program waits for each
 * completion by watching the CQ itself, outside libwd, so the polling spin
 * while the "device" works is not counted, and the model's doorbell
 * (reqcost_doorbell) and the callback (reqcost_cb) are subtracted by the
 * script.
 *
 *   wd-reqcost comp N     N requests through wd_comp_submit/wd_comp_poll
 *   wd-reqcost queue N    N descriptors through wd_send/wd_recv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comp_internal.h"
#include "wdmodel.h"

static struct wdm dev;
static struct wdm_queue wq;
static void (*model_doorbell)(void *opaque, uint64_t off, uint64_t val);
static unsigned int cq_head, phase = 1, completed;

__attribute__((noinline))
void reqcost_doorbell(void *opaque, uint64_t off, uint64_t val);
void reqcost_doorbell(void *opaque, uint64_t off, uint64_t val)
{
	model_doorbell(opaque, off, val);
}

__attribute__((noinline))
void reqcost_cb(void *opaque, int status, size_t consumed, size_t produced);
void reqcost_cb(void *opaque, int status, size_t consumed, size_t produced)
{
	if (status)
		exit(1);
	completed++;
}

/* Wait until the model has posted the next CQE (what libwd would poll). */
__attribute__((noinline))
static void reqcost_wait_device(void)
{
	const volatile uint8_t *cq = (const uint8_t *)wq.t.ring + 1024 * 128;

	while ((cq[cq_head * 16 + 14] & 1) != phase)
		;
	if (++cq_head == 1024) {
		cq_head = 0;
		phase ^= 1;
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "comp";
	unsigned int n = argc > 2 ? (unsigned int)atoi(argv[2]) : 2000, i;
	struct wd_comp_setup s = { .format = WD_FORMAT_ZLIB, .numa_node = -1 };
	struct wd_comp_sess *c;
	static uint8_t out[64], sqe[128], *buf;
	uint8_t in = 'x';
	uint64_t iova;
	struct wd_comp_msg m = { .format = WD_FORMAT_RAW, .in_len = 1,
				 .out_cap = 64 };

	if (wdm_init(&dev, 8 << 20) || wdm_queue_open(&dev, &wq, 0)) {
		fprintf(stderr, "model set-up failed\n");
		return 1;
	}
	model_doorbell = wq.t.doorbell;
	wq.t.doorbell = reqcost_doorbell;
	if (!strcmp(mode, "queue")) {
		buf = wd_mem_alloc(wq.q, 4096);
		if (!buf || wd_mem_iova(wq.q, buf, 4096, &iova))
			return 1;
		buf[0] = 'x';
		m.src = iova;
		m.dst = iova + 64;
		wd_drv_hisi_qm_v2.comp_fill(sqe, &m);
		for (i = 0; i < n; i++) {
			if (wd_send(wq.q, sqe))
				return 1;
			reqcost_wait_device();
			if (wd_recv(wq.q, sqe))
				return 1;
		}
		printf("queue: %u requests\n", n);
		return 0;
	}
	if (comp_open_on_queue(&c, &s, wq.q))
		return 1;
	for (i = 0; i < n; i++) {
		if (wd_comp_submit(c, &in, 1, out, sizeof(out), reqcost_cb,
				   NULL))
			return 1;
		reqcost_wait_device();
		if (wd_comp_poll(c, 1, 0) != 1)
			return 1;
	}
	wd_comp_close(c);
	wdm_queue_close(&wq);
	wdm_fini(&dev);
	printf("comp: %u requests, %u completed\n", n, completed);
	return completed == n ? 0 : 1;
}
