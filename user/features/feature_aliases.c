// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Other names of our features: CICFlowMeter-V3's column names, as the
 * CIC-IDS2017 CSVs spell them (without their leading spaces), so that
 * `flowscope train --csv` reads those files as published.
 */
#include <string.h>

#include "features/flow_features.h"
#include "common/util.h"

static const struct {
	const char *name;
	int feature;
} aliases[] = {
	{"Destination Port", FS_F_SERVER_PORT},
	{"Flow Duration", FS_F_DURATION},
	{"Total Fwd Packets", FS_F_FWD_PKTS},
	{"Total Backward Packets", FS_F_BWD_PKTS},
	{"Total Length of Fwd Packets", FS_F_FWD_PAYLOAD},
	{"Total Length of Bwd Packets", FS_F_BWD_PAYLOAD},
	{"Fwd Packet Length Max", FS_F_FWD_PAYLOAD_MAX},
	{"Fwd Packet Length Min", FS_F_FWD_PAYLOAD_MIN},
	{"Fwd Packet Length Mean", FS_F_FWD_PAYLOAD_MEAN},
	{"Fwd Packet Length Std", FS_F_FWD_PAYLOAD_STD},
	{"Bwd Packet Length Max", FS_F_BWD_PAYLOAD_MAX},
	{"Bwd Packet Length Min", FS_F_BWD_PAYLOAD_MIN},
	{"Bwd Packet Length Mean", FS_F_BWD_PAYLOAD_MEAN},
	{"Bwd Packet Length Std", FS_F_BWD_PAYLOAD_STD},
	{"Flow Bytes/s", FS_F_FLOW_BYTES_PER_S},
	{"Flow Packets/s", FS_F_FLOW_PKTS_PER_S},
	{"Fwd IAT Total", FS_F_FWD_IAT_TOTAL},
	{"Bwd IAT Total", FS_F_BWD_IAT_TOTAL},
	{"Fwd Header Length", FS_F_FWD_HEADER},
	{"Bwd Header Length", FS_F_BWD_HEADER},
	{"Fwd Packets/s", FS_F_FWD_PKTS_PER_S},
	{"Bwd Packets/s", FS_F_BWD_PKTS_PER_S},
	{"Min Packet Length", FS_F_PAYLOAD_MIN},
	{"Max Packet Length", FS_F_PAYLOAD_MAX},
	{"Packet Length Mean", FS_F_PAYLOAD_MEAN},
	{"Packet Length Std", FS_F_PAYLOAD_STD},
	{"Packet Length Variance", FS_F_PAYLOAD_VAR},
	{"FIN Flag Count", FS_F_FIN},
	{"SYN Flag Count", FS_F_SYN},
	{"RST Flag Count", FS_F_RST},
	{"PSH Flag Count", FS_F_PSH},
	{"ACK Flag Count", FS_F_ACK},
	{"URG Flag Count", FS_F_URG},
	{"CWR Flag Count", FS_F_CWR},
	{"ECE Flag Count", FS_F_ECE},
	{"Average Packet Size", FS_F_PKT_SIZE_AVG},
	{"Avg Fwd Segment Size", FS_F_FWD_SEG_AVG},
	{"Avg Bwd Segment Size", FS_F_BWD_SEG_AVG},
	{"Fwd Avg Bytes/Bulk", FS_F_FWD_BULK_BYTES},
	{"Fwd Avg Packets/Bulk", FS_F_FWD_BULK_PKTS},
	{"Fwd Avg Bulk Rate", FS_F_FWD_BULK_RATE},
	{"Bwd Avg Bytes/Bulk", FS_F_BWD_BULK_BYTES},
	{"Bwd Avg Packets/Bulk", FS_F_BWD_BULK_PKTS},
	{"Bwd Avg Bulk Rate", FS_F_BWD_BULK_RATE},
	{"Subflow Fwd Packets", FS_F_SUBFLOW_FWD_PKTS},
	{"Subflow Fwd Bytes", FS_F_SUBFLOW_FWD_BYTES},
	{"Subflow Bwd Packets", FS_F_SUBFLOW_BWD_PKTS},
	{"Subflow Bwd Bytes", FS_F_SUBFLOW_BWD_BYTES},
	{"Init_Win_bytes_forward", FS_F_FWD_INIT_WIN},
	{"Init_Win_bytes_backward", FS_F_BWD_INIT_WIN},
	{"act_data_pkt_fwd", FS_F_FWD_DATA_PKTS},
	{"min_seg_size_forward", FS_F_FWD_HEADER_MIN},
};

const char *fs_feature_cic2017_name(int feature)
{
	unsigned int i;

	for (i = 0; i < FS_ARRAY_SIZE(aliases); i++)
		if (aliases[i].feature == feature)
			return aliases[i].name;
	return fs_feature_defs[feature].cic_name;
}

int fs_feature_find_alias(const char *name)
{
	unsigned int i;

	for (i = 0; i < FS_ARRAY_SIZE(aliases); i++)
		if (strcmp(aliases[i].name, name) == 0)
			return aliases[i].feature;
	return -1;
}
