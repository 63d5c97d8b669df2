/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfu_internal.h - state shared by the vfio-user server's connection
 * handling (vfio_user_server.c) and its request handlers
 * (vfio_user_handlers.c). Not for use outside wd-hwmodel.
 */
#ifndef WD_TESTS_VFU_INTERNAL_H
#define WD_TESTS_VFU_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dma.h"
#include "pci_config.h"
#include "vfio_user.h"

#define MSG_MAX_SIZE	(VFU_SRV_MAX_XFER + 4096)
#define MAX_VECTORS	32
#define REPLY_TIMEOUT_S	20	/* client answering our DMA requests */

struct vfu_msg {
	struct vfu_msg *next;
	uint8_t *buf;		/* whole message, header first */
	uint32_t len;
	int fds[VFU_SRV_MAX_FDS];
	unsigned int nfds;
};

struct vfu_waiter {
	struct vfu_waiter *next;
	uint16_t id;
	bool done;
	struct vfu_msg *reply;	/* NULL with done: connection died */
};

struct vfu_fn;

struct vfu_conn {
	struct vfu_fn *fn;
	int sock;
	struct zipm_fn *zf;
	pthread_t worker;

	pthread_mutex_t lock;	/* dead, queue, waiters */
	pthread_cond_t cond;
	bool dead;
	struct vfu_msg *q_head, *q_tail;
	struct vfu_waiter *waiters;

	pthread_mutex_t send_lock;
	uint16_t next_id;	/* of our requests, under send_lock */

	uint32_t client_max_xfer;
	struct dma_table dma;

	pthread_mutex_t irq_lock;
	unsigned int nvec;
	int msi_fd[MAX_VECTORS];
	bool msi_masked[MAX_VECTORS];
	bool msi_pending[MAX_VECTORS];
	int err_fd, req_fd;
};

struct vfu_fn {
	struct vfu_server *srv;
	unsigned int idx;
	char *path;
	int listen_fd;
	struct zipm_pci_id id;
	struct pcicfg cfg;	/* only the connection's worker touches it */
	struct vfu_conn *conn;	/* under srv->lock */
};

struct vfu_server {
	struct zipm *model;
	unsigned int nfns;
	struct vfu_fn *fns;
	bool trace;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int nthreads;	/* live reader threads */
};

const char *vfu_cmd_name(unsigned int cmd);
__attribute__((format(printf, 2, 3)))
void vfu_log(const struct vfu_fn *fn, const char *fmt, ...);

void vfu_msg_free(struct vfu_msg *m);
int vfu_msg_take_fd(struct vfu_msg *m, unsigned int i);

/* Replies to @req; both do nothing (but log errors) for NO_REPLY requests. */
void vfu_reply(struct vfu_conn *c, const struct vfu_msg *req,
	       const void *payload, size_t len);
void vfu_reply_err(struct vfu_conn *c, const struct vfu_msg *req, int err);

void vfu_signal_eventfd(int fd);

/* Execute one client request (worker thread); @m stays the caller's. */
void vfu_handle_request(struct vfu_conn *c, struct vfu_msg *m);

#endif /* WD_TESTS_VFU_INTERNAL_H */
