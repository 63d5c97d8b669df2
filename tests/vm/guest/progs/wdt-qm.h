/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdt-qm - the HiSilicon QM V2 / ZIP queue as user space sees it
 * (module/hisi_zip/qm.h, zip.h), for the bench's guest programs that drive
 * a queue without libwd.
 */
#ifndef WDT_QM_H
#define WDT_QM_H

#include <stdint.h>
#include <string.h>

#define QM_SQE_SIZE	128
#define QM_Q_DEPTH	1024
#define QM_CQE_SIZE	16
#define QM_DB_CMD_SQ	0ULL
#define QM_DB_CMD_CQ	1ULL
#define HZIP_REQ_ZLIB	0x02
#define ZST_AXI		0x02	/* the engine's DMA failed (tests/hwmodel) */

/* Dword @dw of an SQE; both our targets are little endian. */
static inline void wdt_put32(uint8_t *sqe, unsigned int dw, uint32_t v)
{
	memcpy(sqe + 4 * dw, &v, 4);
}

static inline uint32_t wdt_get32(const volatile uint8_t *sqe, unsigned int dw)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)sqe + 4 * dw, 4);
	return v;
}

/*
 * Ring queue @qn's doorbell: @cmd (SQ: new tail, CQ: new head) @index;
 * priority 1 on a CQ doorbell re-arms the queue's notification.
 */
static inline void wdt_qm_db(volatile uint64_t *db, uint32_t qn, uint64_t cmd,
			     uint16_t index, uint64_t prio)
{
	/* The ring entries written before must be visible to the device first. */
	__sync_synchronize();
	*db = (qn & 0xfff) | cmd << 12 | (uint64_t)index << 32 | prio << 48;
}

#endif
