// SPDX-License-Identifier: GPL-2.0
/*
 * wd-hwmodel - serve the HiSilicon ZIP device model to QEMU over vfio-user.
 *
 *   wd-hwmodel --socket PF.sock [--vf-socket VF.sock ...] [--control CTL]
 *              [--ready-file PATH] [--pidfile PATH] [-v]
 *   wd-hwmodel --ctl CTL 'command'
 *
 * Runs in the foreground and logs to stderr. Once every socket listens it
 * creates the --ready-file (atomically, containing the pid) or, without
 * one, prints "ready <pid>" on stdout. SIGTERM, SIGINT or the control command
 * "quit" stop it; the sockets are removed on the way out.
 *
 * The control socket takes one command per line and answers one line,
 * "ok ..." or "err ...". "drop FN", "clients" and "quit" are ours; every
 * other line goes to the model's fault injection (zipm_fault()).
 */
#define _GNU_SOURCE	/* accept4, MSG_CMSG_CLOEXEC, strsignal */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vfio_user.h"

#define MAX_CTL_CLIENTS	8
#define CTL_LINE_MAX	4096
#define REPLY_MAX	4096

struct ctl_client {
	int fd;
	size_t len;
	char buf[CTL_LINE_MAX];
};

struct opts {
	const char *sockets[ZIPM_MAX_VFS + 1];
	unsigned int nsockets;
	struct zipm_qrange vf_queues[ZIPM_MAX_VFS];
	const char *control;
	const char *ready_file;
	const char *pidfile;
	const char *ctl_path;
	const char *ctl_cmd;
	bool trace;
};

struct app {
	struct vfu_server *srv;
	int ctl_listen;
	int sigfd;
	struct ctl_client ctl[MAX_CTL_CLIENTS];
	bool quit;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: wd-hwmodel --socket PATH [--vf-socket PATH [--vf-queues B:N]] ...\n"
"                  [--control PATH]\n"
"                  [--ready-file PATH] [--pidfile PATH] [-v]\n"
"       wd-hwmodel --ctl PATH COMMAND\n"
"\n"
"Serve the HiSilicon ZIP model (PF 19e5:a250, VFs 19e5:a251, rev 0x21) to\n"
"vfio-user clients such as QEMU's vfio-user-pci, one socket per function.\n"
"\n"
"  -s, --socket PATH       the PF's socket (required)\n"
"  -f, --vf-socket PATH    one more VF and its socket (repeatable, in order)\n"
"  -q, --vf-queues BASE:NUM\n"
"                          the last VF's queues, as a host PF driver would\n"
"                          have set them for a VF given to a virtual machine\n"
"                          (default: none until the PF's VFT gives some)\n"
"  -c, --control PATH      control socket for fault injection\n"
"  -r, --ready-file PATH   create PATH (containing the pid) once listening;\n"
"                          without it, print \"ready PID\" on stdout\n"
"  -p, --pidfile PATH      write the pid to PATH, remove it on exit\n"
"  -v, --verbose           log every vfio-user message\n"
"      --ctl PATH CMD      send CMD to a running server's control socket,\n"
"                          print the reply; exit 0 on \"ok\", 1 otherwise\n"
"  -h, --help              this text\n");
}

/* "BASE:NUM" inside the model's queues, NUM >= 1. */
static int parse_qrange(const char *s, struct zipm_qrange *r)
{
	unsigned long base, num;
	char *end;

	errno = 0;
	base = strtoul(s, &end, 10);
	if (errno || end == s || *end != ':')
		return -1;
	s = end + 1;
	num = strtoul(s, &end, 10);
	if (errno || end == s || *end || !num || num > ZIPM_QUEUES ||
	    base > ZIPM_QUEUES - num)
		return -1;
	r->base = base;
	r->num = num;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "vf-socket", required_argument, NULL, 'f' },
		{ "vf-queues", required_argument, NULL, 'q' },
		{ "control", required_argument, NULL, 'c' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "ctl", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pf = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "s:f:q:c:r:p:vh", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			pf = optarg;
			break;
		case 'f':
			if (o->nsockets >= ZIPM_MAX_VFS) {
				fprintf(stderr, "wd-hwmodel: at most %d VFs\n",
					ZIPM_MAX_VFS);
				return -1;
			}
			o->sockets[1 + o->nsockets++] = optarg;
			break;
		case 'q':
			if (!o->nsockets || parse_qrange(optarg,
					&o->vf_queues[o->nsockets - 1])) {
				fprintf(stderr, "wd-hwmodel: --vf-queues BASE:NUM after a --vf-socket, within %d queues\n",
					ZIPM_QUEUES);
				return -1;
			}
			break;
		case 'c':
			o->control = optarg;
			break;
		case 'r':
			o->ready_file = optarg;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'v':
			o->trace = true;
			break;
		case 'C':
			o->ctl_path = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (o->ctl_path) {
		if (optind != argc - 1) {
			fprintf(stderr, "wd-hwmodel: --ctl takes one command\n");
			return -1;
		}
		o->ctl_cmd = argv[optind];
		return 0;
	}
	if (optind != argc || !pf) {
		usage(stderr);
		return -1;
	}
	o->sockets[0] = pf;
	o->nsockets++;
	return 0;
}

/* ---- --ctl: one-shot client ---------------------------------------------- */

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "wd-hwmodel: path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "wd-hwmodel: cannot connect to %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int run_ctl(const char *path, const char *cmd)
{
	char line[REPLY_MAX + 8];
	size_t len = 0;
	int fd;

	if (strchr(cmd, '\n')) {
		fprintf(stderr, "wd-hwmodel: one command, no newlines\n");
		return 1;
	}
	fd = ctl_connect(path);
	if (fd < 0)
		return 1;
	if (dprintf(fd, "%s\n", cmd) < 0) {
		fprintf(stderr, "wd-hwmodel: write: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	while (len < sizeof(line) - 1) {
		ssize_t n = read(fd, line + len, sizeof(line) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (memchr(line + len - n, '\n', n))
			break;
	}
	close(fd);
	line[len] = '\0';
	if (!len) {
		fprintf(stderr, "wd-hwmodel: no reply from %s\n", path);
		return 1;
	}
	fputs(line, stdout);
	if (line[len - 1] != '\n')
		putchar('\n');
	return strncmp(line, "ok", 2) == 0 && (line[2] == ' ' ||
					      line[2] == '\n') ? 0 : 1;
}

/* ---- control socket ---------------------------------------------------------- */

/* A reply must stay one line: the model may answer with several. */
static void one_line(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static int parse_fn(const char *arg, unsigned int *fn)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end)
		return -1;
	*fn = v;
	return 0;
}

static int ctl_transport(struct app *a, const char *cmd, char *reply,
			 size_t len)
{
	unsigned int fn, i, n;
	size_t off = 0;

	if (!strcmp(cmd, "quit")) {
		a->quit = true;
		snprintf(reply, len, "bye");
		return 0;
	}
	if (!strcmp(cmd, "clients")) {
		n = vfu_server_num_fns(a->srv);
		reply[0] = '\0';
		for (i = 0; i < n && off < len; i++)
			off += snprintf(reply + off, len - off, "%sfn%u=%s",
					i ? " " : "", i,
					vfu_server_connected(a->srv, i) ?
					"connected" : "listening");
		return 0;
	}
	if (!strncmp(cmd, "drop ", 5)) {
		if (parse_fn(cmd + 5, &fn)) {
			snprintf(reply, len, "usage: drop FN");
			return -EINVAL;
		}
		switch (vfu_server_drop(a->srv, fn)) {
		case 0:
			snprintf(reply, len, "fn%u dropped", fn);
			return 0;
		case -ENODEV:
			snprintf(reply, len, "no function %u", fn);
			return -EINVAL;
		default:
			snprintf(reply, len, "fn%u has no client", fn);
			return -EINVAL;
		}
	}
	return 1;	/* not ours */
}

static void ctl_command(struct app *a, struct ctl_client *cc, char *cmd)
{
	char reply[REPLY_MAX];
	int ret;

	one_line(cmd);
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	reply[0] = '\0';
	if (!*cmd)
		return;
	ret = ctl_transport(a, cmd, reply, sizeof(reply));
	if (ret == 1)
		ret = vfu_server_fault(a->srv, cmd, reply, sizeof(reply));
	reply[sizeof(reply) - 1] = '\0';
	one_line(reply);
	fprintf(stderr, "wd-hwmodel: control: %s -> %s %s\n", cmd,
		ret ? "err" : "ok", reply);
	if (dprintf(cc->fd, "%s %s\n", ret ? "err" : "ok", reply) < 0) {
		/* the client went away; its fd is reaped on the next read */
	}
}

static void ctl_close(struct ctl_client *cc)
{
	close(cc->fd);
	cc->fd = -1;
	cc->len = 0;
}

static void ctl_read(struct app *a, struct ctl_client *cc)
{
	ssize_t n = read(cc->fd, cc->buf + cc->len, sizeof(cc->buf) - cc->len);
	char *nl;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		ctl_close(cc);
		return;
	}
	cc->len += n;
	while ((nl = memchr(cc->buf, '\n', cc->len))) {
		size_t used = nl - cc->buf + 1;

		*nl = '\0';
		ctl_command(a, cc, cc->buf);
		memmove(cc->buf, cc->buf + used, cc->len - used);
		cc->len -= used;
	}
	if (cc->len == sizeof(cc->buf)) {
		dprintf(cc->fd, "err line too long\n");
		ctl_close(cc);
	}
}

static void ctl_accept(struct app *a)
{
	int fd = accept4(a->ctl_listen, NULL, NULL, SOCK_CLOEXEC);
	unsigned int i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CTL_CLIENTS; i++) {
		if (a->ctl[i].fd < 0) {
			a->ctl[i].fd = fd;
			a->ctl[i].len = 0;
			return;
		}
	}
	dprintf(fd, "err too many control clients\n");
	close(fd);
}

/* ---- main loop -------------------------------------------------------------- */

enum { SLOT_SIG, SLOT_CTL, SLOT_CLIENTS,
       SLOT_FNS = SLOT_CLIENTS + MAX_CTL_CLIENTS };

static int run(struct app *a)
{
	unsigned int nfns = vfu_server_num_fns(a->srv), i;
	struct pollfd pfd[SLOT_FNS + ZIPM_MAX_VFS + 1];

	while (!a->quit) {
		pfd[SLOT_SIG] = (struct pollfd){ a->sigfd, POLLIN, 0 };
		pfd[SLOT_CTL] = (struct pollfd){ a->ctl_listen, POLLIN, 0 };
		for (i = 0; i < MAX_CTL_CLIENTS; i++)
			pfd[SLOT_CLIENTS + i] =
				(struct pollfd){ a->ctl[i].fd, POLLIN, 0 };
		for (i = 0; i < nfns; i++)
			pfd[SLOT_FNS + i] = (struct pollfd){
				vfu_server_listen_fd(a->srv, i), POLLIN, 0 };

		if (poll(pfd, SLOT_FNS + nfns, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("wd-hwmodel: poll");
			return 1;
		}
		if (pfd[SLOT_SIG].revents) {
			struct signalfd_siginfo si;

			if (read(a->sigfd, &si, sizeof(si)) == sizeof(si))
				fprintf(stderr, "wd-hwmodel: %s, exiting\n",
					strsignal(si.ssi_signo));
			return 0;
		}
		if (pfd[SLOT_CTL].revents)
			ctl_accept(a);
		for (i = 0; i < MAX_CTL_CLIENTS; i++)
			if (a->ctl[i].fd >= 0 && pfd[SLOT_CLIENTS + i].revents)
				ctl_read(a, &a->ctl[i]);
		for (i = 0; i < nfns; i++)
			if (pfd[SLOT_FNS + i].revents)
				vfu_server_accept(a->srv, i);
	}
	return 0;
}

static int write_file(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	/* rename() makes the file appear complete or not at all */
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "wd-hwmodel: cannot write %s: %s\n", path,
			strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Block the signals we handle before any thread exists, so only the
 * signalfd in the main loop sees them.
 */
static int setup_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static void cleanup(struct app *a, const struct opts *o)
{
	unsigned int i;

	for (i = 0; i < MAX_CTL_CLIENTS; i++)
		if (a->ctl[i].fd >= 0)
			close(a->ctl[i].fd);
	if (a->ctl_listen >= 0) {
		close(a->ctl_listen);
		unlink(o->control);
	}
	vfu_server_free(a->srv);
	if (o->ready_file)
		unlink(o->ready_file);
	if (o->pidfile)
		unlink(o->pidfile);
	if (a->sigfd >= 0)
		close(a->sigfd);
}

int main(int argc, char **argv)
{
	struct vfu_server_opts so = { 0 };
	struct app a = { .ctl_listen = -1, .sigfd = -1 };
	struct opts o = { 0 };
	char err[512], pid[32];
	unsigned int i;
	int ret = 1;

	if (parse_opts(argc, argv, &o))
		return 2;
	if (o.ctl_path)
		return run_ctl(o.ctl_path, o.ctl_cmd);

	for (i = 0; i < MAX_CTL_CLIENTS; i++)
		a.ctl[i].fd = -1;
	a.sigfd = setup_signals();
	if (a.sigfd < 0) {
		perror("wd-hwmodel: signals");
		return 1;
	}
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (o.pidfile && write_file(o.pidfile, pid))
		goto out;

	so.num_vfs = o.nsockets - 1;
	so.sockets = o.sockets;
	so.trace = o.trace;
	so.vf_queues = o.vf_queues;
	a.srv = vfu_server_new(&so, err, sizeof(err));
	if (!a.srv) {
		fprintf(stderr, "wd-hwmodel: %s\n", err);
		goto out;
	}
	if (o.control) {
		a.ctl_listen = vfu_listen_unix(o.control, err, sizeof(err));
		if (a.ctl_listen < 0) {
			fprintf(stderr, "wd-hwmodel: control: %s\n", err);
			goto out;
		}
	}
	if (o.ready_file && write_file(o.ready_file, pid))
		goto out;
	fprintf(stderr, "wd-hwmodel: serving PF on %s", o.sockets[0]);
	for (i = 1; i < o.nsockets; i++)
		fprintf(stderr, ", VF%u on %s", i, o.sockets[i]);
	fprintf(stderr, "%s%s\n", o.control ? ", control on " : "",
		o.control ? o.control : "");
	if (!o.ready_file) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
	}

	ret = run(&a);
out:
	cleanup(&a, &o);
	return ret;
}
