// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "engine/record.h"

static const char *const end_reason_names[FS_END_MAX] = {
	[FS_END_NONE] = "none",
	[FS_END_IDLE] = "idle_timeout",
	[FS_END_ACTIVE] = "active_timeout",
	[FS_END_FIN] = "tcp_fin",
	[FS_END_RST] = "tcp_rst",
	[FS_END_INPUT] = "end_of_input",
	[FS_END_DRAIN_RACE] = "drain_race",
};

const char *fs_end_reason_name(__u8 reason)
{
	return reason < FS_END_MAX ? end_reason_names[reason] : "unknown";
}
