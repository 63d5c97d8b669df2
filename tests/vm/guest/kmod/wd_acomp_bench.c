// SPDX-License-Identifier: GPL-2.0
/*
 * wd_acomp_bench - the VM bench's kernel baseline: one compression request
 * through the kernel's acomp API per ioctl, so that user space can time the
 * kernel path (system call, copies, crypto API, the driver's queue and its
 * interrupt) against WarpDrive's user-space queues on the same payloads.
 * Test-only: built by tests/vm for each kernel, never packaged.
 *
 * /dev/wd_acomp_bench (root only): WD_ACOMP_BENCH_BIND picks the algorithm
 * of an open file, WD_ACOMP_BENCH_RUN copies the user's input in, runs
 * crypto_acomp_compress() (or _decompress()) and waits for it, and copies
 * the output back. See wd_acomp_bench.h.
 *
 * Locking: everything an open file owns (transform, request, bounce
 * buffers) is used under its ->lock, so one request per file at a time;
 * files share nothing.
 */
#include <crypto/acompress.h>
#include <linux/crypto.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "wd_acomp_bench.h"

struct wab_file {
	struct mutex lock;	/* everything below */
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	void *src;
	void *dst;
};

static int wab_open(struct inode *inode, struct file *file)
{
	struct wab_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int wab_release(struct inode *inode, struct file *file)
{
	struct wab_file *f = file->private_data;

	if (f->tfm) {
		acomp_request_free(f->req);
		crypto_free_acomp(f->tfm);
	}
	kfree(f->dst);
	kfree(f->src);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static int wab_bind(struct wab_file *f, void __user *arg)
{
	struct wd_acomp_bench_bind b;
	struct crypto_acomp *tfm;
	int ret;

	if (copy_from_user(&b, arg, sizeof(b)))
		return -EFAULT;
	b.alg[sizeof(b.alg) - 1] = '\0';
	if (f->tfm)
		return -EBUSY;
	/* linear memory: sg_init_one() needs it */
	f->src = kmalloc(WD_ACOMP_BENCH_MAX_SRC, GFP_KERNEL);
	f->dst = kmalloc(WD_ACOMP_BENCH_MAX_DST, GFP_KERNEL);
	if (!f->src || !f->dst) {
		ret = -ENOMEM;
		goto err_free;
	}
	tfm = crypto_alloc_acomp(b.alg, 0, 0);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		goto err_free;
	}
	f->req = acomp_request_alloc(tfm);
	if (!f->req) {
		ret = -ENOMEM;
		goto err_tfm;
	}
	strscpy(b.driver, crypto_tfm_alg_driver_name(crypto_acomp_tfm(tfm)),
		sizeof(b.driver));
	if (copy_to_user(arg, &b, sizeof(b))) {
		ret = -EFAULT;
		goto err_req;
	}
	f->tfm = tfm;
	return 0;

err_req:
	acomp_request_free(f->req);
	f->req = NULL;
err_tfm:
	crypto_free_acomp(tfm);
err_free:
	kfree(f->dst);
	kfree(f->src);
	f->dst = NULL;
	f->src = NULL;
	return ret;
}

static int wab_run(struct wab_file *f, void __user *arg)
{
	struct wd_acomp_bench_req r;
	struct scatterlist sg_src, sg_dst;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (!f->tfm)
		return -ENOTCONN;
	if (r.op > 1 || r.pad || !r.src_len ||
	    r.src_len > WD_ACOMP_BENCH_MAX_SRC || !r.dst_len)
		return -EINVAL;
	r.dst_len = min_t(u32, r.dst_len, WD_ACOMP_BENCH_MAX_DST);
	if (copy_from_user(f->src, u64_to_user_ptr(r.src), r.src_len))
		return -EFAULT;
	sg_init_one(&sg_src, f->src, r.src_len);
	sg_init_one(&sg_dst, f->dst, r.dst_len);
	acomp_request_set_params(f->req, &sg_src, &sg_dst, r.src_len,
				 r.dst_len);
	acomp_request_set_callback(f->req, CRYPTO_TFM_REQ_MAY_SLEEP |
				   CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &wait);
	ret = r.op ? crypto_acomp_decompress(f->req) :
		     crypto_acomp_compress(f->req);
	ret = crypto_wait_req(ret, &wait);
	if (ret)
		return ret;
	r.dst_len = f->req->dlen;
	if (copy_to_user(u64_to_user_ptr(r.dst), f->dst, r.dst_len) ||
	    copy_to_user(arg, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long wab_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct wab_file *f = file->private_data;
	long ret;

	mutex_lock(&f->lock);
	switch (cmd) {
	case WD_ACOMP_BENCH_BIND:
		ret = wab_bind(f, (void __user *)arg);
		break;
	case WD_ACOMP_BENCH_RUN:
		ret = wab_run(f, (void __user *)arg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&f->lock);
	return ret;
}

static const struct file_operations wab_fops = {
	.owner = THIS_MODULE,
	.open = wab_open,
	.release = wab_release,
	.unlocked_ioctl = wab_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice wab_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = WD_ACOMP_BENCH_NAME,
	.fops = &wab_fops,
	.mode = 0600,
};

module_misc_device(wab_misc);

MODULE_DESCRIPTION("WarpDrive VM bench: kernel acomp requests, one per ioctl");
MODULE_LICENSE("GPL");
