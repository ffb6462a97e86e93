// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope status: what flowscope has attached, read from its pins. */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live/attach.h"
#include "cli/cli.h"
#include "engine/counter_report.h"
#include "common/util.h"

/* The kernel model's verdicts: flows decided, and their packets and bytes since. */
static void show_classes(const struct fs_class_counts *c)
{
	unsigned int i;

	if (!c->n) {
		printf("  kernel verdicts: none (no kernel model)\n");
		return;
	}
	printf("  kernel verdicts (flows given the class, then those a later checkpoint moved "
	       "on, then their packets and IP bytes from the verdict on):");
	for (i = 0; i < c->n; i++)
		printf("%s %s %llu flows %llu moved %llu packets %llu bytes", i ? ";" : "",
		       c->names[i], (unsigned long long)c->count[i].flows,
		       (unsigned long long)c->count[i].moved,
		       (unsigned long long)c->count[i].packets,
		       (unsigned long long)c->count[i].bytes);
	printf("\n");
}

static void show(const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname);
	struct fs_hook_status hs = {};
	struct fs_pinned_state ps;
	char line[FS_COUNTERS_TEXT_MAX];

	if (ifindex)
		fs_query_hooks(ifindex, &hs);
	fs_read_pins(ifname, &ps);
	printf("%s%s\n", ifname, ifindex ? "" : " (interface gone)");
	printf("  hooks: xdp prog %u", hs.xdp_prog_id);
	if (hs.xdp_dispatcher_id)
		printf(" (in libxdp dispatcher prog %u)", hs.xdp_dispatcher_id);
	printf(", tc ingress prog %u, tc egress prog %u (0: none)\n", hs.tc_ingress_prog_id,
	       hs.tc_egress_prog_id);
	printf("  flow table: %llu of %u entries in use\n", (unsigned long long)ps.flows_used,
	       ps.flows_max);
	fs_counters_format(line, sizeof(line), ps.counters);
	printf("  packets seen %llu; not in a record: %s\n",
	       (unsigned long long)ps.counters[FS_CNT_PACKETS], line);
	show_classes(&ps.classes);
}

/* Every interface with pins under FS_PIN_ROOT. */
static int show_all(void)
{
	struct dirent *d;
	DIR *dir = opendir(FS_PIN_ROOT);
	int n = 0;

	if (!dir && errno != ENOENT)
		return fs_err(FS_PIN_ROOT, "%s", strerror(errno));
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		show(d->d_name);
		n++;
	}
	if (dir)
		closedir(dir);
	if (!n)
		printf("flowscope is not attached to any interface\n");
	return 0;
}

int fs_cmd_status(const struct fs_cli *cli, int argc, char **argv)
{
	int i, err = 0;

	if (argc == 0)
		return show_all() < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
	for (i = 0; i < argc; i++) {
		char pins[256];

		snprintf(pins, sizeof(pins), "%s/%s", FS_PIN_ROOT, argv[i]);
		if (access(pins, F_OK) == 0)
			show(argv[i]);
		else
			err = fs_err(argv[i], "flowscope is not attached here (no pins in %s)",
				     pins);
	}
	return err ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
