// SPDX-License-Identifier: GPL-2.0
/*
 * check_zipmodel_qm.c - queue-manager behaviour: identity, registers,
 * mailbox, VFT, doorbells, rings, interrupts, ownership, reset, detach.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_zipmodel.h"

/* A small compress request on @qn with buffers allocated once per device. */
static void small_req(struct tdev *d, struct treq *r)
{
	static const char text[] = "hello hello hello hello model";

	memset(r, 0, sizeof(*r));
	r->type = 2;
	r->src = t_alloc(d, sizeof(text), 64);
	r->in_len = sizeof(text);
	r->dst = t_alloc(d, 256, 64);
	r->dest_len = 256;
	t_mem_write(d, r->src, text, sizeof(text));
}

START_TEST(test_pci_identity)
{
	struct zipm *m = t_model(3);
	struct zipm_pci_id id;

	ck_assert_int_eq(zipm_pci_id(m, 0, &id), 0);
	ck_assert_uint_eq(id.vendor, 0x19e5);
	ck_assert_uint_eq(id.device, 0xa250);
	ck_assert_uint_eq(id.revision, 0x21);
	ck_assert_uint_eq(id.bar_size[2], ZIPM_REG_BAR_SIZE);
	ck_assert_uint_eq(id.bar_size[0], 0);
	ck_assert_uint_eq(id.msi_vectors, 4);
	ck_assert_int_eq(zipm_pci_id(m, 3, &id), 0);
	ck_assert_uint_eq(id.device, 0xa251);
	ck_assert_uint_eq(id.msi_vectors, 2);
	ck_assert_int_ne(zipm_pci_id(m, 4, &id), 0);
	zipm_free(m);
}
END_TEST

START_TEST(test_attach_rules)
{
	struct zipm *m = t_model(1);
	struct tdev d;
	struct zipm_bus_ops none = { 0 };

	t_dev_init(&d, m, 1, 1 << 20);
	/* A function attaches once; unknown functions never. */
	ck_assert_ptr_null(zipm_attach(m, 1, &none, NULL));
	ck_assert_ptr_null(zipm_attach(m, 2, &none, NULL));
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_mem_init_and_vft_regs)
{
	struct zipm *m = t_model(2);
	struct tdev pf;

	t_dev_init(&pf, m, 0, 1 << 20);
	ck_assert_uint_eq(t_r32(&pf, 0x100044), 0);
	t_w32(&pf, 0x100040, 1);
	ck_assert_uint_eq(t_r32(&pf, 0x100044) & 1, 1);
	ck_assert_uint_eq(t_r32(&pf, 0x10006c) & 1, 1);

	t_set_vft(&pf, 2, 100, 7);
	/* VFT read operation returns the word in DATA_L/H. */
	t_w32(&pf, 0x100058, 1);
	t_w32(&pf, 0x10005c, 0);
	t_w32(&pf, 0x100060, 2);
	t_w32(&pf, 0x10006c, 0);
	t_w32(&pf, 0x100054, 1);
	ck_assert_uint_eq(t_r32(&pf, 0x10006c), 1);
	ck_assert_uint_eq(t_r32(&pf, 0x100064),
			  (uint32_t)t_vft_word(100, 7));
	ck_assert_uint_eq(t_r32(&pf, 0x100068),
			  (uint32_t)(t_vft_word(100, 7) >> 32));
	t_w32(&pf, 0x10005c, 1);
	t_w32(&pf, 0x100054, 1);
	ck_assert_uint_eq(t_r32(&pf, 0x100064), 1u << 28);
	t_dev_fini(&pf);
	zipm_free(m);
}
END_TEST

/*
 * A VF given to a VM by a host PF driver: its queues are set before the
 * guest sees it, and come back after a PF reset (the host re-programs).
 */
START_TEST(test_vf_queues_preset)
{
	struct zipm_params p = { .num_vfs = 2, .engine_threads = 1 };
	struct zipm *m;
	struct tdev pf, vf, vf2;
	uint64_t vft;

	p.vf_queues[0] = (struct zipm_qrange){ 960, 64 };
	m = zipm_new(&p);
	ck_assert_ptr_nonnull(m);
	t_dev_init(&pf, m, 0, 1 << 20);
	t_dev_init(&vf, m, 1, 1 << 20);
	t_dev_init(&vf2, m, 2, 1 << 20);
	ck_assert_uint_eq(t_mb(&vf, 6, 0, 0, true) & 0x3e00, 0);
	vft = t_r32(&vf, 0x304) | (uint64_t)t_r32(&vf, 0x308) << 32;
	ck_assert_uint_eq(vft, t_vft_word(960, 64));
	/* the second VF has no preset: no valid VFT */
	t_mb(&vf2, 6, 0, 0, true);
	ck_assert_uint_eq(t_r32(&vf2, 0x308) & (1u << 12), 0);

	/* the PF's own VFT write does not disturb it; a PF reset keeps it */
	t_pf_setup(&pf, 0, 64);
	zipm_reset(pf.f);
	t_mb(&vf, 6, 0, 0, true);
	vft = t_r32(&vf, 0x304) | (uint64_t)t_r32(&vf, 0x308) << 32;
	ck_assert_uint_eq(vft, t_vft_word(960, 64));

	/* the control command does the same at run time, and takes it back */
	ck_assert_int_eq(zipm_fault(m, "vf-queues 2 100 8", NULL, 0), 0);
	t_mb(&vf2, 6, 0, 0, true);
	vft = t_r32(&vf2, 0x304) | (uint64_t)t_r32(&vf2, 0x308) << 32;
	ck_assert_uint_eq(vft, t_vft_word(100, 8));
	zipm_reset(pf.f);
	t_mb(&vf2, 6, 0, 0, true);
	ck_assert_uint_eq(t_r32(&vf2, 0x304), (uint32_t)t_vft_word(100, 8));
	ck_assert_int_eq(zipm_fault(m, "vf-queues 2 0 0", NULL, 0), 0);
	t_mb(&vf2, 6, 0, 0, true);
	ck_assert_uint_eq(t_r32(&vf2, 0x308) & (1u << 12), 0);
	ck_assert_int_lt(zipm_fault(m, "vf-queues 3 0 8", NULL, 0), 0);
	ck_assert_int_lt(zipm_fault(m, "vf-queues 0 0 8", NULL, 0), 0);
	ck_assert_int_lt(zipm_fault(m, "vf-queues 1 1000 25", NULL, 0), 0);
	t_dev_fini(&vf2);
	t_dev_fini(&vf);
	t_dev_fini(&pf);
	zipm_free(m);

	/* a preset beyond the 1024 queues is refused */
	p.vf_queues[0] = (struct zipm_qrange){ 1000, 25 };
	ck_assert_ptr_null(zipm_new(&p));
}
END_TEST

START_TEST(test_mailbox_vft_readback_and_busy)
{
	struct zipm *m = t_model(1);
	struct tdev pf, vf;
	uint8_t mb[16] = { 0 };
	uint8_t w[8];
	uint64_t vft;

	t_dev_init(&pf, m, 0, 1 << 20);
	t_dev_init(&vf, m, 1, 1 << 20);
	t_pf_setup(&pf, 0, 64);
	t_set_vft(&pf, 1, 64, 32);

	/* One 16-byte store: executes, busy clear, VFT word in 0x304/0x308. */
	ck_assert_uint_eq(t_mb(&vf, 6, 0, 0, true) & 0x3e00, 0);
	vft = t_r32(&vf, 0x304) | (uint64_t)t_r32(&vf, 0x308) << 32;
	ck_assert_uint_eq(vft, t_vft_word(64, 32));
	ck_assert_uint_eq((vft >> 28) & 0xffff, 64);
	ck_assert_uint_eq(((vft >> 45) & 0x3ff) + 1, 32);

	/* Two ordered 8-byte stores: busy visible until byte 0x30f lands. */
	mb[0] = 6;
	mb[1] = (1u << 13 | 1u << 14) >> 8;
	zipm_bar_write(vf.f, 2, 0x300, mb, 8);
	zipm_bar_read(vf.f, 2, 0x300, w, 2);
	ck_assert_uint_ne((w[0] | w[1] << 8) & (1u << 13), 0);
	zipm_bar_write(vf.f, 2, 0x308, mb + 8, 8);
	zipm_bar_read(vf.f, 2, 0x300, w, 2);
	ck_assert_uint_eq((w[0] | w[1] << 8) & (1u << 13), 0);
	ck_assert_uint_eq(t_r32(&vf, 0x304), (uint32_t)t_vft_word(64, 32));

	/* Four 4-byte stores work the same way. */
	mb[0] = 6;
	zipm_bar_write(vf.f, 2, 0x300, mb, 4);
	zipm_bar_write(vf.f, 2, 0x304, mb + 4, 4);
	zipm_bar_write(vf.f, 2, 0x308, mb + 8, 4);
	ck_assert_uint_ne(t_r32(&vf, 0x300) & (1u << 13), 0);
	zipm_bar_write(vf.f, 2, 0x30c, mb + 12, 4);
	ck_assert_uint_eq(t_r32(&vf, 0x300) & (1u << 13), 0);
	ck_assert_uint_eq(t_r32(&vf, 0x308),
			  (uint32_t)(t_vft_word(64, 32) >> 32));

	/* Unknown command: error status, busy still cleared. */
	ck_assert_uint_eq(t_mb(&vf, 0x55, 0, 0, false) & 0x3e00, 1u << 9);
	/* A good command clears the error status again. */
	ck_assert_uint_eq(t_mb(&vf, 6, 0, 0, true) & 0x3e00, 0);
	t_dev_fini(&vf);
	t_dev_fini(&pf);
	zipm_free(m);
}
END_TEST

START_TEST(test_mailbox_context_readback)
{
	struct zipm *m;
	struct tdev d;
	uint8_t c[32];
	uint64_t buf;
	struct treq r;

	t_std_pf(&d, &m);
	small_req(&d, &r);
	t_run(&d, 0, &r);
	buf = t_alloc(&d, 32, 32);
	ck_assert_uint_eq(t_mb(&d, 0, 0, buf, true) & 0x3e00, 0);
	t_mem_read(&d, buf, c, 32);
	/* head and tail both 1 after one request; base as programmed */
	ck_assert_uint_eq(c[0] | c[1] << 8, 1);
	ck_assert_uint_eq(c[2] | c[3] << 8, 1);
	ck_assert_mem_eq(c + 4, &d.q[0].sq, 8);	/* little-endian host */
	ck_assert_uint_eq(t_mb(&d, 1, 0, buf, true) & 0x3e00, 0);
	t_mem_read(&d, buf, c, 32);
	ck_assert_uint_eq(c[2] | c[3] << 8, 1);	/* CQ tail */
	/* Context of a queue nobody programmed: error. */
	ck_assert_uint_ne(t_mb(&d, 0, 5, buf, true) & 0x3e00, 0);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_mailbox_bad_dma)
{
	struct zipm *m = t_model(0);
	struct tdev d;

	t_dev_init(&d, m, 0, 1 << 20);
	t_pf_setup(&d, 0, 4);
	/* Context address outside guest memory: error status + AXI bit. */
	ck_assert_uint_ne(t_mb(&d, 0, 0, 0x1000, false) & 0x3e00, 0);
	ck_assert_uint_ne(t_r32(&d, 0x100000) & 1, 0);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_cache_writeback)
{
	struct zipm *m = t_model(0);
	struct tdev d;

	t_dev_init(&d, m, 0, 1 << 20);
	ck_assert_uint_eq(t_r32(&d, 0x208) & 1, 0);
	t_w32(&d, 0x204, 1);
	ck_assert_uint_eq(t_r32(&d, 0x208) & 1, 1);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_plain_registers_read_back)
{
	static const uint32_t offs[] = {
		0x100088, 0x100090, 0x100098, 0x1000a0, 0x1000a8, 0x100050,
		0x1000ac, 0x1000b0, 0x1000cc, 0x1000d0, 0x301040, 0x301044,
		0x301060, 0x301064, 0x301110, 0x30111c, 0x301128, 0x301134,
		0x301140, 0x301008, 0x301004, 0x100074, 0x1000ec, 0x1040f4,
		0x301160, 0x301164, 0x301168, 0x30100c, 0x060,
	};
	struct zipm *m = t_model(1);
	struct tdev pf, vf;
	uint8_t b8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, r8[8];
	unsigned int i;

	t_dev_init(&pf, m, 0, 1 << 20);
	t_dev_init(&vf, m, 1, 1 << 20);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		t_w32(&pf, offs[i], 0x40001070 + i);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		ck_assert_uint_eq(t_r32(&pf, offs[i]), 0x40001070 + i);
	/* Each function has its own copy. */
	ck_assert_uint_eq(t_r32(&vf, 0x100088), 0);
	/* 64-bit and byte accesses compose from the 32-bit registers. */
	zipm_bar_write(pf.f, 2, 0x301110, b8, 8);
	ck_assert_uint_eq(t_r32(&pf, 0x301114), 0x08070605);
	zipm_bar_write(pf.f, 2, 0x301111, b8 + 7, 1);
	zipm_bar_read(pf.f, 2, 0x301110, r8, 8);
	ck_assert_uint_eq(r8[1], 8);
	ck_assert_uint_eq(r8[0], 1);
	ck_assert_uint_eq(r8[4], 5);
	/* Idle status reads as idle. */
	ck_assert_uint_eq(t_r32(&pf, 0x1040e4) & 1, 1);
	/* Accesses outside the BAR or to other BARs read all-ones. */
	zipm_bar_read(pf.f, 0, 0x0, r8, 4);
	ck_assert_uint_eq(r8[0], 0xff);
	t_dev_fini(&vf);
	t_dev_fini(&pf);
	zipm_free(m);
}
END_TEST

START_TEST(test_abnormal_registers)
{
	struct zipm *m = t_model(0);
	struct tdev d;
	char reply[256];

	t_dev_init(&d, m, 0, 1 << 20);
	ck_assert_uint_eq(t_r32(&d, 0x100004), 0x1fff);
	ck_assert_int_eq(zipm_fault(m, "abnormal 0x3", reply, sizeof(reply)),
			 0);
	ck_assert_uint_eq(t_r32(&d, 0x100000), 3);
	ck_assert_uint_eq(t_r32(&d, 0x100008), 0);	/* all masked */
	ck_assert_uint_eq(t_irqs(&d, 3), 0);
	/* Unmasking a pending source delivers the vector. */
	t_w32(&d, 0x100004, 0x1ffe);
	ck_assert_uint_eq(t_r32(&d, 0x100008), 1);
	ck_assert(t_wait_irq(&d, 3, 1, 1000));
	/* Write-one-to-clear */
	t_w32(&d, 0x100000, 1);
	ck_assert_uint_eq(t_r32(&d, 0x100000), 2);
	ck_assert_uint_eq(t_r32(&d, 0x100008), 0);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_vf_queue_ownership)
{
	struct zipm *m = t_model(1);
	struct tdev pf, vf;
	struct treq r;
	t_dev_init(&pf, m, 0, 1 << 20);
	t_dev_init(&vf, m, 1, 4 << 20);
	t_pf_setup(&pf, 0, 64);
	t_w32(&pf, 0x100004, 0);		/* unmask abnormal */
	t_set_vft(&pf, 1, 64, 2);
	t_fn_start(&vf);
	/* The VF's queue 1 is hardware queue 65; it works. */
	t_queue_start(&vf, 1, false);
	small_req(&vf, &r);
	t_run(&vf, 1, &r);
	ck_assert_uint_eq(r.dw3 & 0xff, T_ST_OK);
	ck_assert_uint_gt(r.produced, 0);
	ck_assert_uint_eq(t_r32(&pf, 0x100000), 0);

	/* Queue 2 is outside the VF's share: SQC mailbox fails. */
	ck_assert_uint_ne(t_mb(&vf, 0, 2, t_alloc(&vf, 32, 32), false) &
			  0x3e00, 0);
	ck_assert_uint_ne(t_r32(&pf, 0x100000) & (1u << 9), 0);
	ck_assert(t_wait_irq(&pf, 3, 1, 1000));
	ck_assert_uint_eq(t_irqs(&vf, 3), 0);	/* abnormal goes to the PF */
	t_w32(&pf, 0x100000, 0x1fff);

	/* Doorbells for foreign queues do no work and flag the error. */
	t_db(&vf, 5, 0, 1, 0);
	ck_assert_uint_ne(t_r32(&pf, 0x100000) & (1u << 9), 0);
	t_db(&vf, 5, 1, 1, 0);
	ck_assert_uint_ne(t_r32(&pf, 0x100000) & (1u << 8), 0);
	/* The VF cannot reach the PF's global registers. */
	t_w32(&vf, 0x100000, 0x1fff);
	ck_assert_uint_ne(t_r32(&pf, 0x100000), 0);

	/* The PF's own share reads back through the mailbox too. */
	ck_assert_uint_eq(t_mb(&pf, 6, 0, 0, true) & 0x3e00, 0);
	ck_assert_uint_eq(t_r32(&pf, 0x304), (uint32_t)t_vft_word(0, 64));
	t_dev_fini(&vf);
	t_dev_fini(&pf);
	zipm_free(m);
}
END_TEST

START_TEST(test_eq_interrupt_and_mask)
{
	struct zipm *m;
	struct tdev d;
	struct treq r;
	uint8_t sqe[128];
	unsigned int before;
	int i;

	t_std_pf(&d, &m);
	small_req(&d, &r);
	/* Masked: the EQE and source appear, the vector does not. */
	t_w32(&d, 0x00c, 1);
	t_fill_sqe(sqe, &r);
	t_submit(&d, 0, sqe);
	for (i = 0; i < 1000 && !t_r32(&d, 0x008); i++)
		usleep(1000);
	ck_assert_uint_eq(t_r32(&d, 0x008), 1);
	usleep(20000);
	ck_assert_uint_eq(t_irqs(&d, 0), 0);
	/* Unmasking with a pending source raises it. */
	t_w32(&d, 0x00c, 0);
	ck_assert(t_wait_irq(&d, 0, 1, 1000));
	/* Consuming the CQE and the EQE (EQ doorbell) clears the source. */
	ck_assert(t_wait_cqe(&d, 0, 1000, NULL));
	ck_assert_uint_eq(d.eqes[0], 1);
	ck_assert_uint_eq(t_r32(&d, 0x008), 0);
	/* Unmasked: one request, one vector. */
	before = t_irqs(&d, 0);
	t_run(&d, 0, &r);
	ck_assert(t_wait_irq(&d, 0, before + 1, 1000));
	ck_assert_uint_eq(t_irqs(&d, 1), 0);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_no_eqe_without_cq_flag)
{
	struct zipm *m = t_model(0);
	struct tdev d;
	struct treq r;

	t_dev_init(&d, m, 0, 4 << 20);
	t_pf_setup(&d, 0, 8);
	t_queue_start_ex(&d, 0, false, 16, 16, false);
	small_req(&d, &r);
	t_run(&d, 0, &r);
	ck_assert_uint_eq(r.dw3 & 0xff, 0);
	usleep(10000);
	ck_assert_uint_eq(t_irqs(&d, 0), 0);
	ck_assert_uint_eq(t_r32(&d, 0x008), 0);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

/* More than two laps of a 1024-deep SQ/CQ, and of the EQ. */
START_TEST(test_phase_wrap)
{
	struct zipm *m;
	struct tdev d;
	struct treq r;
	uint8_t sqe[128];
	unsigned int done = 0, sent = 0, total = 2 * T_DEPTH + 300;
	uint16_t expect = 0;

	t_std_pf(&d, &m);
	small_req(&d, &r);
	t_fill_sqe(sqe, &r);
	while (done < total) {
		/* Keep up to depth - 1 requests in flight, like a driver. */
		while (sent < total && sent - done < T_DEPTH - 1) {
			sqe[52] = (uint8_t)sent;
			sqe[53] = (uint8_t)(sent >> 8);
			t_submit(&d, 0, sqe);
			sent++;
		}
		{
			uint16_t head;
			struct treq res;

			ck_assert_msg(t_wait_cqe(&d, 0, 5000, &head),
				      "stuck after %u", done);
			ck_assert_uint_eq(head, expect);
			t_read_result(&d, 0, head, &res);
			ck_assert_uint_eq(res.out_tag & 0xffff, done & 0xffff);
			ck_assert_uint_eq(res.dw3 & 0xff, 0);
			expect = (uint16_t)((expect + 1) % T_DEPTH);
			done++;
		}
	}
	/* Every completion was announced by exactly one EQE. */
	for (int i = 0; i < 1000 && d.eqes[0] < total; i++) {
		usleep(1000);
		t_drain_eq(&d);
	}
	ck_assert_uint_eq(d.eqes[0], total);
	ck_assert_uint_ge(t_irqs(&d, 0), 1);
	ck_assert_uint_eq(t_r32(&d, 0x008), 0);	/* all consumed */
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_cq_full_stalls_and_reports)
{
	struct zipm *m = t_model(0);
	struct tdev d;
	struct treq r;
	uint8_t sqe[128], aeqe[4];
	unsigned int i;
	uint16_t head;

	t_dev_init(&d, m, 0, 4 << 20);
	t_pf_setup(&d, 0, 8);
	t_queue_start_ex(&d, 0, false, 16, 4, false);
	small_req(&d, &r);
	t_fill_sqe(sqe, &r);
	for (i = 0; i < 6; i++)
		t_submit(&d, 0, sqe);
	/* Four CQEs fit; the fifth completion waits, an AEQE says why. */
	ck_assert(t_wait_irq(&d, 1, 1, 2000));
	ck_assert_uint_eq(t_r32(&d, 0x000), 1);
	t_mem_read(&d, d.aeq, aeqe, 4);
	ck_assert_uint_eq(aeqe[2] & 1, 1);		/* phase */
	ck_assert_uint_eq(aeqe[2] >> 1, 1);		/* CQ overflow */
	ck_assert_uint_eq(aeqe[0] | aeqe[1] << 8, 0);	/* queue 0 */
	t_db(&d, 0, 3, 1, 0);				/* AEQ doorbell */
	ck_assert_uint_eq(t_r32(&d, 0x000), 0);
	/* The CQ ring holds four valid entries and nothing was overwritten. */
	for (i = 0; i < 6; i++) {
		ck_assert(t_wait_cqe(&d, 0, 2000, &head));
		ck_assert_uint_eq(head, i);
	}
	ck_assert(!t_wait_cqe(&d, 0, 20, &head));
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_split_doorbell_and_bad_index)
{
	struct zipm *m;
	struct tdev d;
	struct treq r;
	uint8_t sqe[128];
	uint16_t head;

	t_std_pf(&d, &m);
	small_req(&d, &r);
	t_fill_sqe(sqe, &r);
	t_mem_write(&d, d.q[0].sq, sqe, 128);
	d.q[0].sq_tail = 1;
	/* Two 32-bit halves, low first. */
	t_w32(&d, 0x1000, 0);
	t_w32(&d, 0x1004, 1);
	ck_assert(t_wait_cqe(&d, 0, 2000, &head));
	ck_assert_uint_eq(head, 0);
	/* Index beyond depth: error bit, nothing runs. */
	t_db(&d, 0, 0, 5000, 0);
	ck_assert_uint_ne(t_r32(&d, 0x100000) & (1u << 12), 0);
	ck_assert(!t_wait_cqe(&d, 0, 20, &head));
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_function_reset)
{
	struct zipm *m;
	struct tdev d;
	struct treq r;
	uint8_t sqe[128];
	uint16_t head;

	t_std_pf(&d, &m);
	small_req(&d, &r);
	t_w32(&d, 0x100088, 0x1234);
	zipm_reset(d.f);
	ck_assert_uint_eq(t_r32(&d, 0x100088), 0);
	ck_assert_uint_eq(t_r32(&d, 0x00c), 1);	/* masked again */
	ck_assert_uint_eq(t_r32(&d, 0x100004), 0x1fff);
	ck_assert_uint_eq(t_r32(&d, 0x100044), 0);
	/* The queue is gone: a doorbell does nothing. */
	t_fill_sqe(sqe, &r);
	t_submit(&d, 0, sqe);
	ck_assert(!t_wait_cqe(&d, 0, 30, &head));
	/* Bring it back up the way the driver does after FLR. */
	d.brk = 0;
	memset(d.q, 0, sizeof(d.q));
	t_pf_setup(&d, 0, 64);
	t_queue_start(&d, 0, false);
	small_req(&d, &r);
	t_run(&d, 0, &r);
	ck_assert_uint_eq(r.dw3 & 0xff, 0);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

START_TEST(test_detach_while_busy)
{
	enum { N = 40, LEN = 1 << 20 };
	struct zipm *m;
	struct tdev d;
	struct treq r;
	uint8_t sqe[128];
	unsigned int i, late;
	uint8_t *big = malloc(LEN);
	uint16_t head;

	t_std_pf(&d, &m);
	memset(&r, 0, sizeof(r));
	r.type = 2;
	r.in_len = LEN;
	r.src = t_alloc(&d, LEN, 64);
	r.dst = t_alloc(&d, 2 * LEN, 64);
	r.dest_len = 2 * LEN;
	t_gen_text(big, LEN, 7);
	t_mem_write(&d, r.src, big, LEN);
	t_fill_sqe(sqe, &r);
	for (i = 0; i < N; i++)
		t_submit(&d, 0, sqe);
	usleep(2000);
	zipm_detach(d.f);
	pthread_mutex_lock(&d.mem_lock);
	d.detached = true;
	pthread_mutex_unlock(&d.mem_lock);
	/* BAR accesses of a detached function are ignored / read ones. */
	ck_assert_uint_eq(t_r32(&d, 0x00c), 0xffffffffu);
	usleep(50000);
	pthread_mutex_lock(&d.mem_lock);
	late = d.late_calls;
	pthread_mutex_unlock(&d.mem_lock);
	ck_assert_uint_eq(late, 0);

	/* Attached again: state as left, the pending requests run. */
	t_reattach(&d);
	ck_assert_uint_eq(t_r32(&d, 0x00c), 0);
	for (i = 0; i < N; i++) {
		struct treq res;

		ck_assert(t_wait_cqe(&d, 0, 10000, &head));
		ck_assert_uint_eq(head, i);
		t_read_result(&d, 0, head, &res);
		ck_assert_uint_eq(res.dw3 & 0xff, 0);
		ck_assert_uint_eq(res.consumed, LEN);
	}
	free(big);
	t_dev_fini(&d);
	zipm_free(m);
}
END_TEST

Suite *qm_suite(void)
{
	Suite *s = suite_create("qm");
	TCase *tc = tcase_create("qm");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pci_identity);
	tcase_add_test(tc, test_attach_rules);
	tcase_add_test(tc, test_mem_init_and_vft_regs);
	tcase_add_test(tc, test_mailbox_vft_readback_and_busy);
	tcase_add_test(tc, test_vf_queues_preset);
	tcase_add_test(tc, test_mailbox_context_readback);
	tcase_add_test(tc, test_mailbox_bad_dma);
	tcase_add_test(tc, test_cache_writeback);
	tcase_add_test(tc, test_plain_registers_read_back);
	tcase_add_test(tc, test_abnormal_registers);
	tcase_add_test(tc, test_vf_queue_ownership);
	tcase_add_test(tc, test_eq_interrupt_and_mask);
	tcase_add_test(tc, test_no_eqe_without_cq_flag);
	tcase_add_test(tc, test_phase_wrap);
	tcase_add_test(tc, test_cq_full_stalls_and_reports);
	tcase_add_test(tc, test_split_doorbell_and_bad_index);
	tcase_add_test(tc, test_function_reset);
	tcase_add_test(tc, test_detach_while_busy);
	suite_add_tcase(s, tc);
	return s;
}
