// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return fs_cli_main(argc, argv);
}
