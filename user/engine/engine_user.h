/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The user-space engine: the kernel program's code on a hash table of ours. */
#ifndef FS_ENGINE_USER_H
#define FS_ENGINE_USER_H

#include "engine/engine.h"

struct fs_engine *fs_engine_user_create(const struct fs_engine_config *cfg);

#endif /* FS_ENGINE_USER_H */
