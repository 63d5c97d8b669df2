// SPDX-License-Identifier: GPL-2.0
/*
 * wd-admin - inspect WarpDrive devices on this machine.
 *
 * Reads what the kernel modules publish in sysfs; needs no device access.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wd.h"

#define SDMDEV_CLASS_DIR "/sys/class/sdmdev"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: wd-admin [OPTION] COMMAND\n"
		"Inspect WarpDrive accelerator devices.\n\n"
		"Commands:\n"
		"  list           list devices registered with sdmdev\n\n"
		"Options:\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show versions\n\n"
		"Exit status: 0 ok, 1 error or nothing found, 2 usage error.\n");
}

/* Exit 1 with a message when sdmdev is not loaded: the usual first problem. */
static int cmd_list(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(SDMDEV_CLASS_DIR);
	if (!d) {
		if (errno == ENOENT)
			fprintf(stderr, "wd-admin: %s not found: is sdmdev.ko loaded? (modprobe sdmdev)\n",
				SDMDEV_CLASS_DIR);
		else
			fprintf(stderr, "wd-admin: %s: %s\n", SDMDEV_CLASS_DIR,
				strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		printf("%s\n", de->d_name);
		n++;
	}
	closedir(d);
	if (!n) {
		fprintf(stderr, "wd-admin: no devices registered with sdmdev\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("wd-admin %s (libwd %s)\n", PACKAGE_VERSION, wd_version());
			return 0;
		default:
			fprintf(stderr, "Try 'wd-admin --help'.\n");
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind], "list"))
		return cmd_list();
	fprintf(stderr, "wd-admin: unknown command '%s'\nTry 'wd-admin --help'.\n",
		argv[optind]);
	return 2;
}
