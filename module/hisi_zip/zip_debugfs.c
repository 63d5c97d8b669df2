// SPDX-License-Identifier: GPL-2.0
/*
 * zip_debugfs.c - /sys/kernel/debug/hisi_zip/<pci device>/:
 *   status    queue range, queue pairs in use, event queue positions and
 *             counters of EQ entries, AEQ events, abnormal errors and the
 *             resets they caused;
 *   queues    one line per queue pair in use: owner, direction, whether it
 *             runs, requests sent (kernel queues), CQEs seen, requests the
 *             owner saw fail, and whether the hardware may still hold it;
 *   selftest  reading it runs the ring self-test again and says how it went;
 *   burst     reading it keeps one queue full until every ring wrapped
 *             three times, checking each completion (hisi_zip_burst()).
 *
 * Locking: the files only exist between hisi_zip_debugfs_init() and
 * hisi_zip_debugfs_exit(); debugfs removal waits for readers in flight, so
 * the QM outlives every read. status reads handler-owned fields with
 * READ_ONCE (a snapshot, not a consistent one); queues walks qp_array
 * under qps_lock, which keeps every listed qp alive, and reads each
 * counter once; selftest uses the queue API, which is safe against
 * concurrent users.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "zip.h"

static struct dentry *hzip_debugfs_root;

static int status_show(struct seq_file *s, void *unused)
{
	struct hisi_zip *hzip = s->private;
	struct hisi_qm *qm = &hzip->qm;

	seq_printf(s, "queues: %u from base %u, depth %u\n", qm->qp_num, qm->qp_base,
		   QM_Q_DEPTH);
	seq_printf(s, "queue pairs in use: %u\n", READ_ONCE(qm->qp_in_use));
	seq_printf(s, "msi vectors: %d\n", qm->num_vectors);
	seq_printf(s, "eq head: %u phase %u\n", READ_ONCE(qm->eq_head),
		   READ_ONCE(qm->eq_phase));
	seq_printf(s, "aeq head: %u phase %u\n", READ_ONCE(qm->aeq_head),
		   READ_ONCE(qm->aeq_phase));
	seq_printf(s, "eq entries: %llu\n", READ_ONCE(qm->eq_entries));
	seq_printf(s, "aeq events: %llu\n", READ_ONCE(qm->aeq_events));
	seq_printf(s, "abnormal errors: %llu\n", READ_ONCE(qm->abnormal_errors));
	seq_printf(s, "error resets: %llu\n", READ_ONCE(qm->error_resets));
	seq_printf(s, "user queue errors: %llu\n", READ_ONCE(qm->user_errors));
	seq_printf(s, "function: %s\n", hisi_qm_gone(qm) ? "gone" : "present");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int queues_show(struct seq_file *s, void *unused)
{
	struct hisi_zip *hzip = s->private;
	struct hisi_qm *qm = &hzip->qm;
	unsigned long flags;
	u32 i;

	seq_puts(s, "queue owner  dir        state    sent completed errors\n");
	spin_lock_irqsave(&qm->qps_lock, flags);
	for (i = 0; i < qm->qp_num; i++) {
		struct hisi_qp *qp = qm->qp_array[i];

		if (!qp)
			continue;
		seq_printf(s, "%5u %-6s %-10s %-8s %llu %llu %lld\n", qp->qp_id,
			   qp->owner == HISI_QP_USER ? "user" : "kernel",
			   qp->alg_type == HZIP_ALG_TYPE_DECOMP ? "decompress" : "compress",
			   qp->started ? "started" : READ_ONCE(qp->hw_busy) ? "hw-busy" : "stopped",
			   READ_ONCE(qp->sent), READ_ONCE(qp->completed),
			   (long long)atomic64_read(&qp->errors));
	}
	spin_unlock_irqrestore(&qm->qps_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(queues);

static int selftest_show(struct seq_file *s, void *unused)
{
	int ret = hisi_zip_selftest(s->private);

	if (ret)
		seq_printf(s, "failed: %d\n", ret);
	else
		seq_puts(s, "passed\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(selftest);

/* Enough requests for every ring to wrap three times. */
#define HZIP_DEBUGFS_BURST	(3 * QM_Q_DEPTH + 100)

static int burst_show(struct seq_file *s, void *unused)
{
	int ret = hisi_zip_burst(s->private, HZIP_DEBUGFS_BURST);

	if (ret)
		seq_printf(s, "failed: %d\n", ret);
	else
		seq_printf(s, "passed: %u requests\n", HZIP_DEBUGFS_BURST);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(burst);

void hisi_zip_debugfs_init(struct hisi_zip *hzip)
{
	struct dentry *dir;

	/* debugfs is optional: failures only mean the files are missing. */
	dir = debugfs_create_dir(pci_name(hzip->qm.pdev), hzip_debugfs_root);
	debugfs_create_file("status", 0400, dir, hzip, &status_fops);
	debugfs_create_file("queues", 0400, dir, hzip, &queues_fops);
	debugfs_create_file("selftest", 0400, dir, hzip, &selftest_fops);
	debugfs_create_file("burst", 0400, dir, hzip, &burst_fops);
	hzip->debug_dir = dir;
}

void hisi_zip_debugfs_exit(struct hisi_zip *hzip)
{
	debugfs_remove_recursive(hzip->debug_dir);
	hzip->debug_dir = NULL;
}

void hisi_zip_debugfs_register(void)
{
	hzip_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void hisi_zip_debugfs_unregister(void)
{
	debugfs_remove_recursive(hzip_debugfs_root);
	hzip_debugfs_root = NULL;
}
