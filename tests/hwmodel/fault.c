// SPDX-License-Identifier: GPL-2.0
/*
 * fault.c - fault injection commands and request counters. The language is
 * documented in docs/hardware-model.md ("Fault injection").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

#define MAX_ARGS	4

bool fault_take_fail_locked(struct zipm *m, uint8_t *status)
{
	if (!m->fault.fail_left)
		return false;
	m->fault.fail_left--;
	*status = m->fault.fail_status;
	return true;
}

bool fault_take_corrupt_locked(struct zipm *m)
{
	if (!m->fault.corrupt_left)
		return false;
	m->fault.corrupt_left--;
	return true;
}

bool fault_take_stall_locked(struct zipm *m)
{
	if (!m->fault.stall_left)
		return false;
	m->fault.stall_left--;
	return true;
}

void fault_count_locked(struct zipm *m, uint8_t status)
{
	m->fault.done++;
	m->fault.per_status[status]++;
}

static int reply_fmt(char *reply, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	if (reply && len) {
		va_start(ap, fmt);
		vsnprintf(reply, len, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* Parse an unsigned number (decimal or 0x-hex) no larger than @max. */
static bool parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && !*end && *out <= max;
}

static int split(char *line, char **argv)
{
	int argc = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_ARGS)
			return -1;
		argv[argc++] = tok;
	}
	return argc;
}

/* Append "key=value" words to the reply, never overflowing it. */
static void status_reply(struct zipm *m, char *reply, size_t len)
{
	const struct zfault *z = &m->fault;
	size_t pos;
	unsigned int i;
	int n;

	n = snprintf(reply, len,
		     "done=%" PRIu64 " cqe=%" PRIu64 " hung=%d fail_left=%u "
		     "corrupt_left=%u stall_left=%u irq_eq=%" PRIu64
		     " irq_aeq=%" PRIu64 " irq_abnormal=%" PRIu64
		     " abnormal=0x%x",
		     z->done, z->cqe_posted, z->hung, z->fail_left,
		     z->corrupt_left, z->stall_left, z->irqs[ZIPM_VEC_EQ],
		     z->irqs[ZIPM_VEC_AEQ], z->irqs[ZIPM_VEC_ABNORMAL],
		     m->abn_src);
	pos = n < 0 ? 0 : (size_t)n;
	for (i = 0; i < 256 && pos < len; i++) {
		if (!z->per_status[i])
			continue;
		n = snprintf(reply + pos, len - pos, " st_0x%02x=%" PRIu64, i,
			     z->per_status[i]);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
}

static int do_command(struct zipm *m, int argc, char **argv, char *reply,
		      size_t len, struct irqbatch *b)
{
	const char *cmd = argv[0];
	unsigned long a, c;

	if (!strcmp(cmd, "fail") && argc == 3) {
		if (!parse_num(argv[1], 0xffffffffu, &a) ||
		    !parse_num(argv[2], 0xff, &c))
			return reply_fmt(reply, len, -EINVAL,
					 "error: usage: fail N STATUS");
		m->fault.fail_left = (unsigned int)a;
		m->fault.fail_status = (uint8_t)c;
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "corrupt") && argc == 2) {
		if (!parse_num(argv[1], 0xffffffffu, &a))
			return reply_fmt(reply, len, -EINVAL,
					 "error: usage: corrupt N");
		m->fault.corrupt_left = (unsigned int)a;
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "stall") && argc == 2) {
		if (!parse_num(argv[1], 0xffffffffu, &a))
			return reply_fmt(reply, len, -EINVAL,
					 "error: usage: stall N");
		m->fault.stall_left = (unsigned int)a;
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "hang") && argc == 1) {
		m->fault.hung = true;
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "release") && argc == 1) {
		m->fault.hung = false;
		pthread_cond_broadcast(&m->work_cv);
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "abnormal") && argc == 2) {
		if (!parse_num(argv[1], ABN_ALL, &a) || !a)
			return reply_fmt(reply, len, -EINVAL,
					 "error: usage: abnormal BITS (1..0x1fff)");
		abnormal_raise_locked(m, (uint32_t)a, 0, b);
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "status") && argc == 1) {
		status_reply(m, reply, len);
		return 0;
	}
	if (!strcmp(cmd, "reset-counters") && argc == 1) {
		m->fault.done = 0;
		m->fault.cqe_posted = 0;
		memset(m->fault.per_status, 0, sizeof(m->fault.per_status));
		memset(m->fault.irqs, 0, sizeof(m->fault.irqs));
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "vf-queues") && argc == 4) {
		unsigned long fn;

		if (!parse_num(argv[1], ZIPM_MAX_VFS, &fn) ||
		    !parse_num(argv[2], ZIPM_QUEUES, &a) ||
		    !parse_num(argv[3], ZIPM_QUEUES, &c) ||
		    vf_preset_locked(m, (unsigned int)fn, (unsigned int)a,
				     (unsigned int)c))
			return reply_fmt(reply, len, -EINVAL,
					 "error: usage: vf-queues VF BASE NUM (VF 1..%u, within %u queues)",
					 m->num_fns - 1, ZIPM_QUEUES);
		return reply_fmt(reply, len, 0, "ok");
	}
	if (!strcmp(cmd, "help") && argc == 1)
		return reply_fmt(reply, len, 0,
				 "commands: fail N STATUS | corrupt N | stall N | hang | "
				 "release | abnormal BITS | status | "
				 "reset-counters | vf-queues VF BASE NUM | help");
	return reply_fmt(reply, len, -EINVAL, "error: unknown command '%s'",
			 cmd);
}

int zipm_fault(struct zipm *m, const char *cmd, char *reply, size_t len)
{
	struct irqbatch b = { 0 };
	char line[256];
	char *argv[MAX_ARGS];
	int argc, ret;

	if (reply && len)
		reply[0] = '\0';
	if (!m || !cmd)
		return reply_fmt(reply, len, -EINVAL, "error: no command");
	if (strlen(cmd) >= sizeof(line))
		return reply_fmt(reply, len, -EINVAL, "error: line too long");
	strcpy(line, cmd);
	argc = split(line, argv);
	if (argc <= 0)
		return reply_fmt(reply, len, -EINVAL,
				 argc ? "error: too many arguments" :
				 "error: empty command");

	pthread_mutex_lock(&m->lock);
	if (!reply || !len) {
		char tmp[16];

		ret = do_command(m, argc, argv, tmp, sizeof(tmp), &b);
	} else {
		ret = do_command(m, argc, argv, reply, len, &b);
	}
	pthread_mutex_unlock(&m->lock);
	irq_flush(m, &b);
	return ret;
}
