// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Per-flow labels: the bytes are a FLOW_LABELS.tsv; each row is looked up again. */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "train/flow_labels.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_flow_labels *l = fs_flow_labels_load(fuzz_input_path(data, size));
	struct fs_unit u = {.proto = 6, .src_port = 443, .dst_port = 50000};
	enum fs_flow_role role;
	const char *label;

	if (!l)
		return 0;
	/* A lookup reads every row: a TCP flow between ::ffff:10.0.0.1 and ::ffff:10.0.0.2. */
	u.src_addr[10] = u.src_addr[11] = u.dst_addr[10] = u.dst_addr[11] = 0xff;
	u.src_addr[12] = u.dst_addr[12] = 10;
	u.src_addr[15] = 1;
	u.dst_addr[15] = 2;
	if (fs_flow_labels_find(l, "a.pcap", &u, &role, &label) && (role > FS_FLOW_SIDE || !label))
		abort();
	(void)fs_flow_labels_has_capture(l, "a.pcap");
	fs_flow_labels_free(l);
	return 0;
}
