// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_user_server.c - serve the ZIP model's functions to vfio-user clients.
 *
 * One listening UNIX socket per function, at most one client per socket.
 * Each connection has two threads:
 *
 *  - the reader owns the receive side of the socket. Replies (to the
 *    DMA_READ/WRITE requests we send) are handed to whoever waits for them;
 *    requests are queued for the worker.
 *  - the worker executes requests in order, which is what the protocol
 *    promises the client, and sends the replies.
 *
 * The split exists because the model may need client memory while it runs
 * a request (a mailbox write makes it fetch a context): without an fd for
 * that memory we must ask the client and receive its answer while the
 * request is still in progress. Model engine threads ask the same way.
 * Senders are serialised by a send lock so messages never interleave.
 *
 * When the socket closes, the reader wakes every waiter with an error,
 * stops the worker, detaches the function from the model (after which no
 * model callback can run), drops the DMA mappings and interrupt eventfds
 * and frees the connection. Config space and model state stay: a new
 * client sees the device as the previous one left it, as the protocol asks.
 */
#define _GNU_SOURCE	/* accept4, MSG_CMSG_CLOEXEC, strsignal */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vfu_internal.h"

static const char *const cmd_names[VFU_CMD_MAX] = {
	[VFU_VERSION] = "VERSION",
	[VFU_DMA_MAP] = "DMA_MAP",
	[VFU_DMA_UNMAP] = "DMA_UNMAP",
	[VFU_DEVICE_GET_INFO] = "GET_INFO",
	[VFU_DEVICE_GET_REGION_INFO] = "GET_REGION_INFO",
	[VFU_DEVICE_GET_REGION_IO_FDS] = "GET_REGION_IO_FDS",
	[VFU_DEVICE_GET_IRQ_INFO] = "GET_IRQ_INFO",
	[VFU_DEVICE_SET_IRQS] = "SET_IRQS",
	[VFU_REGION_READ] = "REGION_READ",
	[VFU_REGION_WRITE] = "REGION_WRITE",
	[VFU_DMA_READ] = "DMA_READ",
	[VFU_DMA_WRITE] = "DMA_WRITE",
	[VFU_DEVICE_RESET] = "RESET",
	[VFU_DIRTY_PAGES] = "DIRTY_PAGES",
	[VFU_REGION_WRITE_MULTI] = "REGION_WRITE_MULTI",
};

const char *vfu_cmd_name(unsigned int cmd)
{
	return cmd < VFU_CMD_MAX && cmd_names[cmd] ? cmd_names[cmd] : "?";
}

void vfu_log(const struct vfu_fn *fn, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "wd-hwmodel: fn%u: %s\n", fn->idx, line);
}

static void trace_msg(const struct vfu_conn *c, const char *dir,
		      const struct vfu_hdr *h, unsigned int nfds)
{
	if (!c->fn->srv->trace)
		return;
	vfu_log(c->fn, "%s id %u %s%s size %u flags 0x%x err %u fds %u", dir,
	       h->id, vfu_cmd_name(h->cmd),
	       (h->flags & VFU_F_TYPE_MASK) == VFU_F_REPLY ? " reply" : "",
	       h->size, h->flags, h->error, nfds);
}

void vfu_msg_free(struct vfu_msg *m)
{
	unsigned int i;

	if (!m)
		return;
	for (i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	free(m->buf);
	free(m);
}

/* Take fd @i out of @m so vfu_msg_free() leaves it open. */
int vfu_msg_take_fd(struct vfu_msg *m, unsigned int i)
{
	int fd = m->fds[i];

	m->fds[i] = -1;
	return fd;
}

/* ---- socket I/O --------------------------------------------------------- */

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= n;
	}
	return 0;
}

static int recv_fds(struct vfu_msg *m, struct msghdr *mh)
{
	struct cmsghdr *cm;
	int ret = 0;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		unsigned int n, i;
		int *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cm);
		for (i = 0; i < n; i++) {
			if (m->nfds < VFU_SRV_MAX_FDS)
				m->fds[m->nfds++] = fds[i];
			else {
				close(fds[i]);
				ret = -EMSGSIZE;
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		ret = -EMSGSIZE;
	return ret;
}

/*
 * Receive one message. File descriptors ride on the first byte of the
 * sender's sendmsg(), i.e. with the header.
 */
static int recv_msg(int sock, struct vfu_msg **out)
{
	union {
		char buf[CMSG_SPACE(VFU_SRV_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct vfu_hdr h;
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct vfu_msg *m;
	ssize_t n;
	int ret;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		ret = n ? -errno : -ECONNRESET;
		goto err;
	}
	ret = recv_fds(m, &mh);
	if (!ret && (size_t)n < sizeof(h))
		ret = read_full(sock, (uint8_t *)&h + n, sizeof(h) - n);
	if (ret)
		goto err;

	if (h.size < sizeof(h) || h.size > MSG_MAX_SIZE) {
		ret = -EPROTO;
		goto err;
	}
	m->buf = malloc(h.size);
	if (!m->buf) {
		ret = -ENOMEM;
		goto err;
	}
	memcpy(m->buf, &h, sizeof(h));
	m->len = h.size;
	ret = read_full(sock, m->buf + sizeof(h), h.size - sizeof(h));
	if (ret)
		goto err;
	*out = m;
	return 0;
err:
	vfu_msg_free(m);
	return ret;
}

static int send_locked(struct vfu_conn *c, const void *buf, size_t len,
		       const int *fds, unsigned int nfds)
{
	union {
		char buf[CMSG_SPACE(VFU_SRV_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	const uint8_t *p = buf;
	bool first = true;

	trace_msg(c, "->", buf, nfds);
	while (len) {
		struct iovec iov = { .iov_base = (void *)p, .iov_len = len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (first && nfds) {
			struct cmsghdr *cm;

			memset(&ctl, 0, sizeof(ctl));
			mh.msg_control = ctl.buf;
			mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
			memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
		}
		n = sendmsg(c->sock, &mh, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		first = false;
		p += n;
		len -= n;
	}
	return 0;
}

static int send_msg(struct vfu_conn *c, const void *buf, size_t len)
{
	int ret;

	pthread_mutex_lock(&c->send_lock);
	ret = send_locked(c, buf, len, NULL, 0);
	pthread_mutex_unlock(&c->send_lock);
	return ret;
}

/* Reply to @req with @len bytes of payload, unless it asked for none. */
void vfu_reply(struct vfu_conn *c, const struct vfu_msg *req,
		  const void *payload, size_t len)
{
	const struct vfu_hdr *rh = (const void *)req->buf;
	struct vfu_hdr *h;
	uint8_t *buf;

	if (rh->flags & VFU_F_NO_REPLY)
		return;
	buf = malloc(sizeof(*h) + len);
	if (!buf) {
		vfu_log(c->fn, "out of memory for a reply");
		return;
	}
	h = (struct vfu_hdr *)buf;
	*h = (struct vfu_hdr) {
		.id = rh->id, .cmd = rh->cmd, .size = sizeof(*h) + len,
		.flags = VFU_F_REPLY,
	};
	if (len)
		memcpy(buf + sizeof(*h), payload, len);
	send_msg(c, buf, sizeof(*h) + len);
	free(buf);
}

void vfu_reply_err(struct vfu_conn *c, const struct vfu_msg *req, int err)
{
	const struct vfu_hdr *rh = (const void *)req->buf;
	struct vfu_hdr h = {
		.id = rh->id, .cmd = rh->cmd, .size = sizeof(h),
		.flags = VFU_F_REPLY | VFU_F_ERROR, .error = err < 0 ? -err : err,
	};

	if (c->fn->srv->trace || !(rh->flags & VFU_F_NO_REPLY))
		vfu_log(c->fn, "%s failed: %s", vfu_cmd_name(rh->cmd),
		       strerror(h.error));
	if (!(rh->flags & VFU_F_NO_REPLY))
		send_msg(c, &h, sizeof(h));
}

/* ---- requests we send: DMA to memory the client did not give us an fd for */

static struct vfu_msg *wait_reply(struct vfu_conn *c, struct vfu_waiter *w)
{
	struct vfu_waiter **pp;
	struct timespec ts;
	struct vfu_msg *r;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += REPLY_TIMEOUT_S;
	pthread_mutex_lock(&c->lock);
	while (!w->done && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	for (pp = &c->waiters; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	r = w->reply;
	pthread_mutex_unlock(&c->lock);
	if (!w->done)
		vfu_log(c->fn, "client did not answer DMA request %u", w->id);
	return r;
}

/*
 * One VFU_DMA_READ or VFU_DMA_WRITE round trip for at most client_max_xfer
 * bytes. The waiter is registered before sending so the reply cannot race
 * past it.
 */
static int remote_dma_one(struct vfu_conn *c, uint64_t iova, uint8_t *p,
			  uint32_t n, bool write)
{
	size_t len = VFU_DMA_RW_FIXED + (write ? n : 0);
	struct vfu_waiter w = { 0 };
	struct vfu_dma_rw *rq;
	struct vfu_msg *r;
	int ret;

	rq = calloc(1, len);
	if (!rq)
		return -ENOMEM;
	rq->hdr.cmd = write ? VFU_DMA_WRITE : VFU_DMA_READ;
	rq->hdr.size = len;
	rq->addr = iova;
	rq->count = n;
	if (write)
		memcpy((uint8_t *)rq + VFU_DMA_RW_DATA_OFF, p, n);

	pthread_mutex_lock(&c->send_lock);
	rq->hdr.id = w.id = c->next_id++;
	pthread_mutex_lock(&c->lock);
	if (c->dead) {
		pthread_mutex_unlock(&c->lock);
		pthread_mutex_unlock(&c->send_lock);
		free(rq);
		return -EIO;
	}
	w.next = c->waiters;
	c->waiters = &w;
	pthread_mutex_unlock(&c->lock);
	ret = send_locked(c, rq, len, NULL, 0);
	pthread_mutex_unlock(&c->send_lock);
	free(rq);
	if (ret)
		shutdown(c->sock, SHUT_RDWR);	/* reader cleans up */

	r = wait_reply(c, &w);
	if (!r)
		return -EIO;
	rq = (struct vfu_dma_rw *)r->buf;
	if (rq->hdr.flags & VFU_F_ERROR)
		ret = -(int)rq->hdr.error;
	else if (!write && (r->len < VFU_DMA_RW_DATA_OFF + (size_t)n ||
			    rq->count != n))
		ret = -EPROTO;
	else if (!write)
		memcpy(p, r->buf + VFU_DMA_RW_DATA_OFF, n);
	vfu_msg_free(r);
	return ret;
}

static int remote_dma(void *ctx, uint64_t iova, void *buf, size_t len,
		      bool write)
{
	struct vfu_conn *c = ctx;
	uint8_t *p = buf;

	while (len) {
		uint32_t n = len > c->client_max_xfer ? c->client_max_xfer : len;
		int ret = remote_dma_one(c, iova, p, n, write);

		if (ret)
			return ret;
		iova += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---- zipm_bus_ops --------------------------------------------------------- */

static int bus_dma_read(void *opaque, uint64_t iova, void *buf, size_t len)
{
	struct vfu_conn *c = opaque;

	return dma_rw(&c->dma, iova, buf, len, false, remote_dma, c);
}

static int bus_dma_write(void *opaque, uint64_t iova, const void *buf,
			 size_t len)
{
	struct vfu_conn *c = opaque;

	return dma_rw(&c->dma, iova, (void *)buf, len, true, remote_dma, c);
}

void vfu_signal_eventfd(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) < 0) {
		/* counter overflow or closed: an interrupt is lost either way */
	}
}

/* Messages the guest enabled: the leading run of vectors with an eventfd. */
static unsigned int msi_granted(const struct vfu_conn *c)
{
	unsigned int n = 0;

	while (n < c->nvec && c->msi_fd[n] >= 0)
		n++;
	while (n & (n - 1))	/* MSI grants a power of two */
		n &= n - 1;
	return n ? n : 1;
}

static void bus_irq(void *opaque, unsigned int vector)
{
	struct vfu_conn *c = opaque;

	pthread_mutex_lock(&c->irq_lock);
	/*
	 * A function granted fewer MSI messages than it asked for (x86 guests
	 * without interrupt remapping get one) may only vary the low bits of
	 * the message data that were granted: its higher vectors alias onto
	 * the granted ones, so an abnormal event with one message is vector 0.
	 */
	if (vector < c->nvec && c->msi_fd[vector] < 0)
		vector &= msi_granted(c) - 1;
	if (vector < c->nvec && c->msi_fd[vector] >= 0) {
		if (c->msi_masked[vector])
			c->msi_pending[vector] = true;
		else
			vfu_signal_eventfd(c->msi_fd[vector]);
	}
	pthread_mutex_unlock(&c->irq_lock);
}

static const struct zipm_bus_ops bus_ops = {
	.dma_read = bus_dma_read,
	.dma_write = bus_dma_write,
	.irq = bus_irq,
};

/* ---- connection threads --------------------------------------------------- */

static void *worker_main(void *arg)
{
	struct vfu_conn *c = arg;

	for (;;) {
		struct vfu_msg *m;

		pthread_mutex_lock(&c->lock);
		while (!c->q_head && !c->dead)
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->dead) {
			pthread_mutex_unlock(&c->lock);
			break;
		}
		m = c->q_head;
		c->q_head = m->next;
		if (!c->q_head)
			c->q_tail = NULL;
		pthread_mutex_unlock(&c->lock);

		vfu_handle_request(c, m);
		vfu_msg_free(m);
	}
	return NULL;
}

static void deliver_reply(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_hdr *h = (const void *)m->buf;
	struct vfu_waiter *w;

	pthread_mutex_lock(&c->lock);
	for (w = c->waiters; w; w = w->next)
		if (w->id == h->id && !w->done)
			break;
	if (w) {
		w->reply = m;
		w->done = true;
		pthread_cond_broadcast(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
	if (!w) {
		vfu_log(c->fn, "unexpected reply id %u (%s)", h->id,
		       vfu_cmd_name(h->cmd));
		vfu_msg_free(m);
	}
}

static void enqueue_request(struct vfu_conn *c, struct vfu_msg *m)
{
	pthread_mutex_lock(&c->lock);
	if (c->q_tail)
		c->q_tail->next = m;
	else
		c->q_head = m;
	c->q_tail = m;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static void conn_kill(struct vfu_conn *c)
{
	struct vfu_waiter *w;
	struct vfu_msg *m;

	pthread_mutex_lock(&c->lock);
	c->dead = true;
	for (w = c->waiters; w; w = w->next)
		w->done = true;
	while ((m = c->q_head)) {
		c->q_head = m->next;
		vfu_msg_free(m);
	}
	c->q_tail = NULL;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static void conn_free(struct vfu_conn *c)
{
	unsigned int i;

	for (i = 0; i < MAX_VECTORS; i++)
		if (c->msi_fd[i] >= 0)
			close(c->msi_fd[i]);
	if (c->err_fd >= 0)
		close(c->err_fd);
	if (c->req_fd >= 0)
		close(c->req_fd);
	dma_fini(&c->dma);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->send_lock);
	pthread_mutex_destroy(&c->irq_lock);
	pthread_cond_destroy(&c->cond);
	free(c);
}

static void *reader_main(void *arg)
{
	struct vfu_conn *c = arg;
	struct vfu_fn *fn = c->fn;
	struct vfu_server *s = fn->srv;
	int ret;

	for (;;) {
		struct vfu_msg *m = NULL;
		struct vfu_hdr *h;

		ret = recv_msg(c->sock, &m);
		if (ret)
			break;
		h = (struct vfu_hdr *)m->buf;
		trace_msg(c, "<-", h, m->nfds);
		if ((h->flags & VFU_F_TYPE_MASK) == VFU_F_REPLY) {
			deliver_reply(c, m);
		} else if ((h->flags & VFU_F_TYPE_MASK) == VFU_F_REQUEST) {
			enqueue_request(c, m);
		} else {
			vfu_msg_free(m);
			ret = -EPROTO;
			break;
		}
	}
	if (ret == -ECONNRESET)
		vfu_log(fn, "client disconnected");
	else
		vfu_log(fn, "closing connection: %s", strerror(-ret));

	conn_kill(c);
	pthread_join(c->worker, NULL);
	zipm_detach(c->zf);		/* no model callback after this */

	pthread_mutex_lock(&s->lock);
	fn->conn = NULL;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	close(c->sock);
	conn_free(c);

	pthread_mutex_lock(&s->lock);
	s->nthreads--;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static struct vfu_conn *conn_new(struct vfu_fn *fn, int sock)
{
	struct vfu_conn *c = calloc(1, sizeof(*c));
	unsigned int i;

	if (!c)
		return NULL;
	c->fn = fn;
	c->sock = sock;
	c->client_max_xfer = VFU_DEF_MAX_XFER;
	c->nvec = fn->id.msi_vectors < MAX_VECTORS ? fn->id.msi_vectors :
						       MAX_VECTORS;
	for (i = 0; i < MAX_VECTORS; i++)
		c->msi_fd[i] = -1;
	c->err_fd = c->req_fd = -1;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->send_lock, NULL);
	pthread_mutex_init(&c->irq_lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	dma_init(&c->dma, VFU_SRV_MAX_DMA_MAPS);
	return c;
}

static int conn_start(struct vfu_conn *c)
{
	struct vfu_server *s = c->fn->srv;
	pthread_t reader;
	int ret;

	c->zf = zipm_attach(s->model, c->fn->idx, &bus_ops, c);
	if (!c->zf)
		return -EBUSY;
	ret = -pthread_create(&c->worker, NULL, worker_main, c);
	if (ret)
		goto err_detach;

	pthread_mutex_lock(&s->lock);
	ret = -pthread_create(&reader, NULL, reader_main, c);
	if (!ret) {
		pthread_detach(reader);
		c->fn->conn = c;
		s->nthreads++;
	}
	pthread_mutex_unlock(&s->lock);
	if (!ret)
		return 0;

	conn_kill(c);
	pthread_join(c->worker, NULL);
err_detach:
	zipm_detach(c->zf);
	return ret;
}

/* ---- server --------------------------------------------------------------- */

static bool conn_dead(struct vfu_conn *c)
{
	bool dead;

	pthread_mutex_lock(&c->lock);
	dead = c->dead;
	pthread_mutex_unlock(&c->lock);
	return dead;
}

/*
 * A client that reconnects right after a disconnect must not find the old
 * connection still tearing down. Called with srv->lock held.
 */
static void wait_dying_conn(struct vfu_server *s, struct vfu_fn *f)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	while (f->conn && conn_dead(f->conn))
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts))
			break;
}

void vfu_server_accept(struct vfu_server *s, unsigned int fn)
{
	struct vfu_fn *f = &s->fns[fn];
	struct vfu_conn *c;
	bool busy;
	int sock, ret;

	sock = accept4(f->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (sock < 0) {
		if (errno != EAGAIN && errno != EINTR)
			vfu_log(f, "accept: %s", strerror(errno));
		return;
	}
	pthread_mutex_lock(&s->lock);
	wait_dying_conn(s, f);
	busy = f->conn != NULL;
	pthread_mutex_unlock(&s->lock);
	if (busy) {
		vfu_log(f, "refusing a second client on %s", f->path);
		close(sock);
		return;
	}
	c = conn_new(f, sock);
	if (!c) {
		close(sock);
		return;
	}
	vfu_log(f, "client connected on %s", f->path);
	ret = conn_start(c);
	if (ret) {
		vfu_log(f, "cannot serve client: %s", strerror(-ret));
		close(sock);
		conn_free(c);
	}
}

int vfu_server_drop(struct vfu_server *s, unsigned int fn)
{
	int ret = -ENOTCONN;

	if (fn >= s->nfns)
		return -ENODEV;
	pthread_mutex_lock(&s->lock);
	if (s->fns[fn].conn) {
		/*
		 * The reader sees EOF and tears the connection down; wait for
		 * it so that the function is free again when we return.
		 */
		shutdown(s->fns[fn].conn->sock, SHUT_RDWR);
		while (s->fns[fn].conn)
			pthread_cond_wait(&s->cond, &s->lock);
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

bool vfu_server_connected(struct vfu_server *s, unsigned int fn)
{
	bool ret;

	if (fn >= s->nfns)
		return false;
	pthread_mutex_lock(&s->lock);
	ret = s->fns[fn].conn != NULL;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int vfu_server_num_fns(const struct vfu_server *s)
{
	return s->nfns;
}

int vfu_server_listen_fd(const struct vfu_server *s, unsigned int fn)
{
	return fn < s->nfns ? s->fns[fn].listen_fd : -1;
}

int vfu_server_fault(struct vfu_server *s, const char *cmd, char *reply,
		     size_t len)
{
	return zipm_fault(s->model, cmd, reply, len);
}

int vfu_listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (ret && errno == EADDRINUSE) {
		/* A live server answers a connect; a stale file does not. */
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (probe >= 0 &&
		    connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			close(fd);
			snprintf(err, errlen,
				 "socket %s is in use by a running server",
				 path);
			return -1;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
		ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	}
	if (ret || listen(fd, 4)) {
		snprintf(err, errlen, "cannot listen on %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct vfu_server *vfu_server_new(const struct vfu_server_opts *o,
				  char *err, size_t errlen)
{
	struct zipm_params p = { .num_vfs = o->num_vfs };
	struct vfu_server *s;
	unsigned int i;

	if (o->num_vfs > ZIPM_MAX_VFS) {
		snprintf(err, errlen, "at most %d VFs", ZIPM_MAX_VFS);
		return NULL;
	}
	if (o->vf_queues)
		memcpy(p.vf_queues, o->vf_queues, o->num_vfs * sizeof(*p.vf_queues));
	s = calloc(1, sizeof(*s));
	if (!s)
		goto nomem;
	s->nfns = o->num_vfs + 1;
	s->trace = o->trace;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->fns = calloc(s->nfns, sizeof(*s->fns));
	if (!s->fns)
		goto nomem;
	for (i = 0; i < s->nfns; i++)
		s->fns[i].listen_fd = -1;

	s->model = zipm_new(&p);
	if (!s->model) {
		snprintf(err, errlen, "cannot create the device model");
		goto err;
	}
	for (i = 0; i < s->nfns; i++) {
		struct vfu_fn *f = &s->fns[i];

		f->srv = s;
		f->idx = i;
		if (zipm_pci_id(s->model, i, &f->id)) {
			snprintf(err, errlen, "model has no function %u", i);
			goto err;
		}
		pcicfg_init(&f->cfg, &f->id);
		f->path = strdup(o->sockets[i]);
		if (!f->path)
			goto nomem;
		f->listen_fd = vfu_listen_unix(f->path, err, errlen);
		if (f->listen_fd < 0)
			goto err;
	}
	return s;

nomem:
	snprintf(err, errlen, "out of memory");
err:
	vfu_server_free(s);
	return NULL;
}

void vfu_server_free(struct vfu_server *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; s->fns && i < s->nfns; i++)
		vfu_server_drop(s, i);
	pthread_mutex_lock(&s->lock);
	while (s->nthreads)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);

	for (i = 0; s->fns && i < s->nfns; i++) {
		struct vfu_fn *f = &s->fns[i];

		if (f->listen_fd >= 0) {
			close(f->listen_fd);
			unlink(f->path);
		}
		free(f->path);
	}
	if (s->model)
		zipm_free(s->model);
	free(s->fns);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
