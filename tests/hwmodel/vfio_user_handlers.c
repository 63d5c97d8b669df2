// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_user_handlers.c - what the server does with each client request.
 *
 * Runs on the connection's worker thread, one request at a time. Message
 * sizes are checked here against the payload each command needs; the
 * reader only guarantees a complete header and @m->len bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfu_internal.h"

/* Payload (bytes after the header) of @m, or NULL if shorter than @need. */
static void *payload(const struct vfu_msg *m, size_t need)
{
	if (m->len < sizeof(struct vfu_hdr) + need)
		return NULL;
	return m->buf + sizeof(struct vfu_hdr);
}

static size_t payload_len(const struct vfu_msg *m)
{
	return m->len - sizeof(struct vfu_hdr);
}

/* ---- VFU_VERSION -------------------------------------------------------- */

/* Value of numeric member @key anywhere in @json, or @def. */
static uint64_t json_number(const char *json, const char *key, uint64_t def)
{
	char pat[64];
	const char *p;
	char *end;
	uint64_t v;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (!p)
		return def;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ':')
		p++;
	v = strtoull(p, &end, 0);
	return end == p ? def : v;
}

static int do_version(struct vfu_conn *c, struct vfu_msg *m)
{
	const uint16_t *ver = payload(m, 4);
	uint16_t rv[2] = { VFU_MAJOR, VFU_MINOR };
	uint8_t out[256];
	int len;
	size_t n = payload_len(m);
	uint64_t xfer;

	if (!ver)
		return -EINVAL;
	if (ver[0] != VFU_MAJOR) {
		vfu_log(c->fn, "client speaks vfio-user %u.%u, we speak %u.%u",
			ver[0], ver[1], VFU_MAJOR, VFU_MINOR);
		return -ENOTSUP;
	}
	if (n > 4) {
		/* NUL-terminated JSON; never trust the terminator */
		char *json = strndup((char *)(ver + 2), n - 4);

		if (!json)
			return -ENOMEM;
		xfer = json_number(json, "max_data_xfer_size",
				   VFU_DEF_MAX_XFER);
		c->client_max_xfer = xfer && xfer < VFU_SRV_MAX_XFER ?
				     xfer : VFU_SRV_MAX_XFER;
		if (c->fn->srv->trace)
			vfu_log(c->fn, "client capabilities %s", json);
		free(json);
	}
	/*
	 * No "migration" member: we cannot migrate, and QEMU keeps its
	 * defaults when it is absent. QEMU receives the reply into the
	 * buffer of its request, so this must stay shorter than its JSON.
	 */
	memcpy(out, rv, sizeof(rv));
	len = snprintf((char *)out + 4, sizeof(out) - 4,
		       "{\"capabilities\":{\"max_msg_fds\":%u,"
		       "\"max_data_xfer_size\":%u,\"pgsizes\":%u,"
		       "\"max_dma_maps\":%u,\"write_multiple\":true}}",
		       VFU_SRV_MAX_FDS, VFU_SRV_MAX_XFER, VFU_SRV_PGSIZES,
		       VFU_SRV_MAX_DMA_MAPS);
	vfu_reply(c, m, out, 4 + len + 1);
	return 0;
}

/* ---- DMA map table ------------------------------------------------------ */

static int do_dma_map(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_dma_map *r = (const void *)m->buf;
	int fd = -1, ret;

	if (!payload(m, sizeof(*r) - sizeof(r->hdr)) || m->nfds > 1)
		return -EINVAL;
	if (m->nfds)
		fd = vfu_msg_take_fd(m, 0);
	ret = dma_map(&c->dma, r->iova, r->size, r->offset,
		      r->flags & (VFU_DMA_READABLE | VFU_DMA_WRITABLE), fd);
	if (c->fn->srv->trace)
		vfu_log(c->fn, "dma map iova 0x%" PRIx64 " size 0x%" PRIx64
			" %s: %d", r->iova, r->size, fd >= 0 ? "fd" : "no fd",
			ret);
	if (ret)
		return ret;
	vfu_reply(c, m, NULL, 0);
	return 0;
}

static int do_dma_unmap(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_dma_unmap *r = (const void *)m->buf;
	size_t len = sizeof(*r) - sizeof(r->hdr);
	int ret = 0;

	if (!payload(m, len))
		return -EINVAL;
	if (r->flags & VFU_UNMAP_GET_DIRTY)
		return -ENOTSUP;
	if (r->flags & VFU_UNMAP_ALL)
		dma_unmap_all(&c->dma);
	else
		ret = dma_unmap(&c->dma, r->iova, r->size);
	if (c->fn->srv->trace)
		vfu_log(c->fn, "dma unmap iova 0x%" PRIx64 " size 0x%" PRIx64
			" flags 0x%x: %d", r->iova, r->size, r->flags, ret);
	if (ret)
		return ret;
	vfu_reply(c, m, &r->argsz, len);
	return 0;
}

/* ---- device, region and interrupt info ----------------------------------- */

static int do_device_info(struct vfu_conn *c, struct vfu_msg *m)
{
	struct vfu_device_info r = {
		.argsz = sizeof(r) - sizeof(r.hdr),
		.flags = VFU_DEV_RESET | VFU_DEV_PCI,
		.num_regions = VFU_PCI_NUM_REGIONS,
		.num_irqs = VFU_IRQ_NUM,
	};

	vfu_reply(c, m, &r.argsz, r.argsz);
	return 0;
}

static uint64_t bar_size(const struct vfu_fn *fn, unsigned int index)
{
	return index <= VFU_PCI_BAR5 ? fn->id.bar_size[index] : 0;
}

static int do_region_info(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_region_info *q = (const void *)m->buf;
	struct vfu_region_info r = { .argsz = sizeof(r) - sizeof(r.hdr) };

	if (!payload(m, 12))	/* argsz, flags, index */
		return -EINVAL;
	if (q->index >= VFU_PCI_NUM_REGIONS)
		return -EINVAL;
	r.index = q->index;
	if (q->index == VFU_PCI_CONFIG)
		r.size = PCICFG_SIZE;
	else
		r.size = bar_size(c->fn, q->index);
	if (r.size)
		r.flags = VFU_REGION_READ_OK | VFU_REGION_WRITE_OK;
	vfu_reply(c, m, &r.argsz, r.argsz);
	return 0;
}

static int do_irq_info(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_irq_info *q = (const void *)m->buf;
	struct vfu_irq_info r = { .argsz = sizeof(r) - sizeof(r.hdr) };

	if (!payload(m, 12) || q->index >= VFU_IRQ_NUM)
		return -EINVAL;
	r.index = q->index;
	switch (q->index) {
	case VFU_IRQ_MSI:
		r.flags = VFU_IRQ_INFO_EVENTFD | VFU_IRQ_INFO_MASKABLE |
			  VFU_IRQ_INFO_NORESIZE;
		r.count = c->nvec;
		break;
	case VFU_IRQ_ERR:
	case VFU_IRQ_REQ:
		r.flags = VFU_IRQ_INFO_EVENTFD;
		r.count = 1;
		break;
	default:	/* no INTx pin, no MSI-X table */
		r.flags = VFU_IRQ_INFO_EVENTFD;
		r.count = 0;
		break;
	}
	vfu_reply(c, m, &r.argsz, r.argsz);
	return 0;
}

/* ---- VFU_DEVICE_SET_IRQS ------------------------------------------------ */

static bool one_bit(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void set_fd(int *slot, int fd)
{
	if (*slot >= 0)
		close(*slot);
	*slot = fd;
}

/* Caller holds irq_lock. */
static void msi_disable_all(struct vfu_conn *c)
{
	unsigned int i;

	for (i = 0; i < c->nvec; i++) {
		set_fd(&c->msi_fd[i], -1);
		c->msi_masked[i] = false;
		c->msi_pending[i] = false;
	}
}

/* Does the request select vector start + i? (DATA_NONE: all do) */
static bool selected(uint32_t data, const uint8_t *bools, uint32_t i)
{
	return data == VFU_IRQ_DATA_NONE || bools[i];
}

static int msi_set(struct vfu_conn *c, struct vfu_msg *m,
		   const struct vfu_irq_set *q, uint32_t data, uint32_t act)
{
	const uint8_t *bools = q->data;
	uint32_t i;

	if (data == VFU_IRQ_DATA_BOOL && !payload(m, 20 + q->count))
		return -EINVAL;
	for (i = 0; i < q->count; i++) {
		unsigned int v = q->start + i;

		if (act == VFU_IRQ_ACT_TRIGGER && data == VFU_IRQ_DATA_EVENTFD) {
			c->msi_pending[v] = false;
			set_fd(&c->msi_fd[v],
			       m->nfds ? vfu_msg_take_fd(m, i) : -1);
		} else if (!selected(data, bools, i)) {
			continue;
		} else if (act == VFU_IRQ_ACT_TRIGGER) {
			if (c->msi_fd[v] >= 0)
				vfu_signal_eventfd(c->msi_fd[v]);
		} else if (act == VFU_IRQ_ACT_MASK) {
			c->msi_masked[v] = true;
		} else {
			c->msi_masked[v] = false;
			if (c->msi_pending[v] && c->msi_fd[v] >= 0)
				vfu_signal_eventfd(c->msi_fd[v]);
			c->msi_pending[v] = false;
		}
	}
	return 0;
}

static int irq_set_msi(struct vfu_conn *c, struct vfu_msg *m,
		       const struct vfu_irq_set *q, uint32_t data, uint32_t act)
{
	int ret = 0;

	if (data == VFU_IRQ_DATA_EVENTFD &&
	    (act != VFU_IRQ_ACT_TRIGGER || (m->nfds && m->nfds != q->count)))
		return -EINVAL;
	if (q->count && (q->start >= c->nvec || q->count > c->nvec - q->start))
		return -EINVAL;

	pthread_mutex_lock(&c->irq_lock);
	if (!q->count) {
		/* vfio: count 0 with DATA_NONE|TRIGGER disables MSI */
		if (act == VFU_IRQ_ACT_TRIGGER && data == VFU_IRQ_DATA_NONE)
			msi_disable_all(c);
	} else {
		ret = msi_set(c, m, q, data, act);
	}
	pthread_mutex_unlock(&c->irq_lock);
	return ret;
}

/* ERR and REQ: one eventfd each that QEMU listens on; we never fire them. */
static int irq_set_single(struct vfu_conn *c, struct vfu_msg *m,
			  const struct vfu_irq_set *q, uint32_t data,
			  uint32_t act, int *slot)
{
	if (act != VFU_IRQ_ACT_TRIGGER || q->start || q->count > 1)
		return -EINVAL;
	pthread_mutex_lock(&c->irq_lock);
	if (data == VFU_IRQ_DATA_EVENTFD && q->count && m->nfds == 1)
		set_fd(slot, vfu_msg_take_fd(m, 0));
	else if (data == VFU_IRQ_DATA_EVENTFD || !q->count)
		set_fd(slot, -1);
	else if (*slot >= 0)
		vfu_signal_eventfd(*slot);
	pthread_mutex_unlock(&c->irq_lock);
	return 0;
}

static int do_set_irqs(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_irq_set *q = (const void *)m->buf;
	uint32_t data, act;
	int ret;

	if (!payload(m, 20))
		return -EINVAL;
	data = q->flags & VFU_IRQ_DATA_MASK;
	act = q->flags & VFU_IRQ_ACT_MASK_ALL;
	if (!one_bit(data) || !one_bit(act) ||
	    (q->flags & ~(VFU_IRQ_DATA_MASK | VFU_IRQ_ACT_MASK_ALL)))
		return -EINVAL;
	if (m->nfds && data != VFU_IRQ_DATA_EVENTFD)
		return -EINVAL;

	switch (q->index) {
	case VFU_IRQ_MSI:
		ret = irq_set_msi(c, m, q, data, act);
		break;
	case VFU_IRQ_ERR:
		ret = irq_set_single(c, m, q, data, act, &c->err_fd);
		break;
	case VFU_IRQ_REQ:
		ret = irq_set_single(c, m, q, data, act, &c->req_fd);
		break;
	default:
		/* INTx and MSI-X have no vectors; disabling them is fine */
		ret = q->count ? -EINVAL : 0;
		break;
	}
	if (c->fn->srv->trace)
		vfu_log(c->fn, "set irqs index %u start %u count %u flags 0x%x"
			" fds %u: %d", q->index, q->start, q->count, q->flags,
			m->nfds, ret);
	if (ret)
		return ret;
	vfu_reply(c, m, NULL, 0);
	return 0;
}

/* ---- region access ------------------------------------------------------- */

/*
 * Split a BAR access into the naturally aligned 1/2/4/8-byte pieces the
 * model takes. A whole aligned 16-byte access goes through as one: that is
 * how the QM mailbox wants to be written.
 */
static void bar_access(struct zipm_fn *zf, unsigned int bar, uint64_t off,
		       uint8_t *buf, uint32_t count, bool write)
{
	while (count) {
		unsigned int sz = 8;

		if (count == 16 && !(off % 16))
			sz = 16;
		else
			while (sz > count || off % sz)
				sz >>= 1;
		if (write)
			zipm_bar_write(zf, bar, off, buf, sz);
		else
			zipm_bar_read(zf, bar, off, buf, sz);
		off += sz;
		buf += sz;
		count -= sz;
	}
}

static void function_reset(struct vfu_conn *c)
{
	zipm_reset(c->zf);
}

/* Read or write @count bytes of region @region; returns 0 or -errno. */
static int region_access(struct vfu_conn *c, uint32_t region, uint64_t off,
			 uint8_t *buf, uint32_t count, bool write)
{
	struct vfu_fn *fn = c->fn;
	unsigned int ev = 0;
	uint64_t size;
	int ret;

	if (region == VFU_PCI_CONFIG) {
		if (!write)
			return pcicfg_read(&fn->cfg, off, buf, count);
		ret = pcicfg_write(&fn->cfg, off, buf, count, &ev);
		if (!ret && (ev & PCICFG_EV_FLR)) {
			vfu_log(fn, "function level reset");
			function_reset(c);
			pcicfg_reset(&fn->cfg);
		}
		return ret;
	}
	size = bar_size(fn, region);
	if (!size || off > size || count > size - off)
		return -EINVAL;
	bar_access(c->zf, region, off, buf, count, write);
	return 0;
}

static int do_region_read(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_region_rw *q = (const void *)m->buf;
	struct vfu_region_rw *r;
	size_t len;
	int ret;

	if (!payload(m, 16))
		return -EINVAL;
	if (q->count > VFU_SRV_MAX_XFER)
		return -E2BIG;
	len = sizeof(*r) + q->count;
	r = calloc(1, len);
	if (!r)
		return -ENOMEM;
	r->offset = q->offset;
	r->region = q->region;
	r->count = q->count;
	ret = region_access(c, q->region, q->offset, r->data, q->count, false);
	if (!ret)
		vfu_reply(c, m, &r->offset, len - sizeof(r->hdr));
	free(r);
	return ret;
}

static int do_region_write(struct vfu_conn *c, struct vfu_msg *m)
{
	struct vfu_region_rw *q = (void *)m->buf;
	int ret;

	if (!payload(m, 16) || payload_len(m) - 16 < q->count)
		return -EINVAL;
	ret = region_access(c, q->region, q->offset, q->data, q->count, true);
	if (ret)
		return ret;
	vfu_reply(c, m, &q->offset, 16);	/* offset, region, count */
	return 0;
}

static int do_write_multi(struct vfu_conn *c, struct vfu_msg *m)
{
	struct vfu_write_multi *q = (void *)m->buf;
	uint64_t i;
	int ret;

	if (!payload(m, 8) || q->count > VFU_MULTI_MAX ||
	    payload_len(m) - 8 < q->count * sizeof(q->wr[0]))
		return -EINVAL;
	for (i = 0; i < q->count; i++) {
		struct vfu_write_one *w = &q->wr[i];

		if (w->count > VFU_MULTI_DATA)
			return -EINVAL;
		ret = region_access(c, w->region, w->offset, w->data,
				    w->count, true);
		if (ret)
			return ret;
	}
	vfu_reply(c, m, &q->count, sizeof(q->count));
	return 0;
}

static int do_reset(struct vfu_conn *c, struct vfu_msg *m)
{
	if (c->fn->srv->trace)
		vfu_log(c->fn, "device reset");
	function_reset(c);
	vfu_reply(c, m, NULL, 0);
	return 0;
}

static int dispatch(struct vfu_conn *c, struct vfu_msg *m)
{
	const struct vfu_hdr *h = (const void *)m->buf;

	/* Only DMA_MAP and SET_IRQS may carry fds; others' are dropped. */
	if (m->nfds && h->cmd != VFU_DMA_MAP && h->cmd != VFU_DEVICE_SET_IRQS)
		return -EINVAL;

	switch (h->cmd) {
	case VFU_VERSION:
		return do_version(c, m);
	case VFU_DMA_MAP:
		return do_dma_map(c, m);
	case VFU_DMA_UNMAP:
		return do_dma_unmap(c, m);
	case VFU_DEVICE_GET_INFO:
		return do_device_info(c, m);
	case VFU_DEVICE_GET_REGION_INFO:
		return do_region_info(c, m);
	case VFU_DEVICE_GET_IRQ_INFO:
		return do_irq_info(c, m);
	case VFU_DEVICE_SET_IRQS:
		return do_set_irqs(c, m);
	case VFU_REGION_READ:
		return do_region_read(c, m);
	case VFU_REGION_WRITE:
		return do_region_write(c, m);
	case VFU_REGION_WRITE_MULTI:
		return do_write_multi(c, m);
	case VFU_DEVICE_RESET:
		return do_reset(c, m);
	case VFU_DMA_READ:
	case VFU_DMA_WRITE:		/* server-to-client only */
	case VFU_DEVICE_GET_REGION_IO_FDS:
	case VFU_DIRTY_PAGES:
		return -ENOTSUP;
	default:
		return -ENOSYS;
	}
}

void vfu_handle_request(struct vfu_conn *c, struct vfu_msg *m)
{
	int ret = dispatch(c, m);

	if (ret)
		vfu_reply_err(c, m, ret);
}
