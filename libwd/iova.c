// SPDX-License-Identifier: GPL-2.0
/*
 * IOVA spaces (iova.h) and the process-side device context (struct wd_ctx,
 * wd_queue.h) that holds one per function.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iova.h"
#include "queue_internal.h"

void wd_iova_init(struct wd_iova_space *s, const char *dev, uint64_t start,
		  uint64_t end)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dev, sizeof(s->dev), "%s", dev ? dev : "");
	s->start = start;
	s->end = end;
}

void wd_iova_fini(struct wd_iova_space *s)
{
	free(s->r);
	s->r = NULL;
	s->n = 0;
	s->cap = 0;
}

/* Room for [at, at + len) below @limit (inclusive), without overflow. */
static int fits(uint64_t at, uint64_t len, uint64_t limit)
{
	return at <= limit && len - 1 <= limit - at;
}

int wd_iova_alloc(struct wd_iova_space *s, uint64_t len, uint64_t *iova)
{
	uint64_t at = s->start;
	unsigned int i;

	if (!len || s->end <= s->start)
		return WD_ENOMEM;
	/* first fit: the gap before range i, then after the last one */
	for (i = 0; i <= s->n; i++) {
		uint64_t limit = i < s->n ? s->r[i].iova - 1 : s->end;

		if ((i == s->n || s->r[i].iova > at) && fits(at, len, limit))
			break;
		if (i == s->n)
			return WD_ENOMEM;
		at = s->r[i].iova + s->r[i].len;
		if (at < s->r[i].iova)
			return WD_ENOMEM;	/* the last range ends the space */
	}
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 16;
		struct wd_iova_range *r = realloc(s->r, cap * sizeof(*r));

		if (!r)
			return WD_ENOMEM;
		s->r = r;
		s->cap = cap;
	}
	memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof(*s->r));
	s->r[i].iova = at;
	s->r[i].len = len;
	s->n++;
	*iova = at;
	return WD_OK;
}

void wd_iova_free(struct wd_iova_space *s, uint64_t iova)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		if (s->r[i].iova != iova)
			continue;
		memmove(&s->r[i], &s->r[i + 1], (s->n - i - 1) * sizeof(*s->r));
		s->n--;
		return;
	}
}

/* ---- the context ------------------------------------------------------------ */

int wd_ctx_new(struct wd_ctx **ctx)
{
	struct wd_ctx *c;

	if (!ctx)
		return WD_EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return WD_ENOMEM;
	if (pthread_mutex_init(&c->lock, NULL)) {
		free(c);
		return WD_ENOMEM;
	}
	*ctx = c;
	return WD_OK;
}

void wd_ctx_free(struct wd_ctx *ctx)
{
	unsigned int i;

	if (!ctx)
		return;
	for (i = 0; i < ctx->nspaces; i++) {
		wd_iova_fini(ctx->spaces[i]);
		free(ctx->spaces[i]);
	}
	free(ctx->spaces);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

struct wd_iova_space *wd_ctx_space_locked(struct wd_ctx *ctx, const char *dev,
					  uint64_t start, uint64_t end)
{
	struct wd_iova_space *s, **v;
	unsigned int i;

	for (i = 0; i < ctx->nspaces; i++)
		if (!strcmp(ctx->spaces[i]->dev, dev))
			return ctx->spaces[i];
	s = malloc(sizeof(*s));
	v = realloc(ctx->spaces, (ctx->nspaces + 1) * sizeof(*v));
	if (!s || !v) {
		free(s);
		if (v)
			ctx->spaces = v;
		return NULL;
	}
	ctx->spaces = v;
	wd_iova_init(s, dev, start, end);
	ctx->spaces[ctx->nspaces++] = s;
	return s;
}
