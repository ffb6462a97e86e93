/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attach --class-mark CLASS=MARK[/MASK],... and --class-priority CLASS=N,...:
 * what the TC programs do to the packets of a flow the kernel model has
 * decided (include/kernel_model.h, struct fs_class_action).
 */
#ifndef FS_CLASS_ACTIONS_H
#define FS_CLASS_ACTIONS_H

#include <stdbool.h>

#include "classify/model.h"
#include "kernel_model.h"

/*
 * Fills actions[FS_KM_MAX_CLASSES] from the two option values (either may be
 * NULL), class names resolved among m's. Returns 1 if any action is set, 0
 * if none, -1 after printing "flowscope: --class-mark: what is wrong".
 */
int fs_class_actions_parse(struct fs_class_action *actions, const char *marks,
			   const char *priorities, const struct fs_model *m);

#endif /* FS_CLASS_ACTIONS_H */
