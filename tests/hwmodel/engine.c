// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - the engine threads. A doorbell only puts the queue on the run
 * list; threads take one SQE of one queue at a time, so requests of a queue
 * complete in order while different queues run in parallel.
 */
#include <stdlib.h>

#include "model_internal.h"

struct job {
	struct zipm_fn *f;
	struct zq *q;
	uint32_t gen;
	uint32_t idx;		/* SQE slot */
	bool cpl_only;		/* result already written, CQE was parked */
	uint64_t sqe_addr;
};

/* Take the next runnable queue; false on shutdown. Called locked. */
static bool take_job_locked(struct zipm *m, struct job *j)
{
	for (;;) {
		struct zq *q;

		while (!m->shutdown && (m->fault.hung || !m->run_head))
			pthread_cond_wait(&m->work_cv, &m->lock);
		if (m->shutdown)
			return false;
		q = m->run_head;
		m->run_head = q->next;
		if (!m->run_head)
			m->run_tail = NULL;
		q->queued = false;
		q->next = NULL;

		/* Re-check: the queue may have been reset since it was kicked. */
		if (!queue_runnable_locked(m, q))
			continue;
		j->f = &m->fn[q->owner];
		if (!fn_get_locked(j->f))
			continue;
		j->q = q;
		j->gen = q->gen;
		j->cpl_only = q->cpl_pending;
		if (j->cpl_only) {
			j->idx = q->cpl_idx;
		} else {
			j->idx = q->sq_head;
			j->sqe_addr = q->sq_base + (uint64_t)ZIPM_SQE_SIZE * j->idx;
			q->sq_head = (q->sq_head + 1) % q->sq_depth;
		}
		q->busy = true;
		return true;
	}
}

static void run_request(struct job *j)
{
	struct zipm *m = j->f->m;
	struct irqbatch b = { 0 };
	uint8_t sqe[ZIPM_SQE_SIZE];

	if (j->f->ops.dma_read(j->f->opaque, j->sqe_addr, sqe, sizeof(sqe))) {
		/* No SQE, no completion: the QM reports a read error. */
		pthread_mutex_lock(&m->lock);
		abnormal_raise_locked(m, ABN_AXI_RRESP, j->f->idx, &b);
		pthread_mutex_unlock(&m->lock);
		irq_flush(m, &b);
		return;
	}
	zip_process(j->f, j->q, sqe);
	if (j->f->ops.dma_write(j->f->opaque, j->sqe_addr, sqe, sizeof(sqe))) {
		pthread_mutex_lock(&m->lock);
		abnormal_raise_locked(m, ABN_AXI_BRESP, j->f->idx, &b);
		pthread_mutex_unlock(&m->lock);
		irq_flush(m, &b);
	}
	complete_request(j->f, j->q, j->gen, j->idx);
}

static void *engine_main(void *arg)
{
	struct zipm *m = arg;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		struct job j = { 0 };

		if (!take_job_locked(m, &j))
			break;
		pthread_mutex_unlock(&m->lock);

		if (j.cpl_only)
			complete_request(j.f, j.q, j.gen, j.idx);
		else
			run_request(&j);

		pthread_mutex_lock(&m->lock);
		j.q->busy = false;
		queue_kick_locked(m, j.q);
		if (--j.f->users == 0)
			pthread_cond_broadcast(&m->idle_cv);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int engine_start(struct zipm *m, unsigned int nthreads)
{
	m->threads = calloc(nthreads, sizeof(*m->threads));
	if (!m->threads)
		return -1;
	for (m->nthreads = 0; m->nthreads < nthreads; m->nthreads++)
		if (pthread_create(&m->threads[m->nthreads], NULL, engine_main,
				   m))
			return -1;
	return 0;
}

void engine_stop(struct zipm *m)
{
	unsigned int i;

	pthread_mutex_lock(&m->lock);
	m->shutdown = true;
	pthread_cond_broadcast(&m->work_cv);
	pthread_mutex_unlock(&m->lock);
	for (i = 0; i < m->nthreads; i++)
		pthread_join(m->threads[i], NULL);
	free(m->threads);
	m->threads = NULL;
	m->nthreads = 0;
}
