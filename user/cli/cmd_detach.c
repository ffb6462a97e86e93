// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope detach: remove flowscope from interfaces, e.g. after a run was killed. */
#include "live/attach.h"
#include "cli/cli.h"
#include "common/util.h"

int fs_cmd_detach(const struct fs_cli *cli, int argc, char **argv)
{
	int i, ret = FS_EXIT_OK;

	for (i = 0; i < argc; i++) {
		if (fs_detach_interface(argv[i]) < 0)
			ret = FS_EXIT_FAILURE;
	}
	return ret;
}
