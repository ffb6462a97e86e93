// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "live/class_actions.h"

/* The model's class named by name (len bytes), or -1 after saying which classes there are. */
static int class_index(const char *opt, const char *name, size_t len, const struct fs_model *m)
{
	char known[256] = "";
	unsigned int c;

	for (c = 0; c < m->nclasses; c++) {
		if (strlen(m->classes[c]) == len && strncmp(m->classes[c], name, len) == 0)
			return (int)c;
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 c ? ", " : "", m->classes[c]);
	}
	fs_err(opt, "'%.*s' is not one of the model's classes (%s)", (int)len, name, known);
	return -1;
}

/* A 32-bit value: decimal, or hex with 0x. */
static int parse_u32(const char *opt, const char *text, __u32 *out)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 0);

	if (end == text || *end || v > 0xffffffffULL || text[0] == '-')
		return fs_err(opt, "'%s' is not a 32-bit number", text);
	*out = (__u32)v;
	return 0;
}

/* One CLASS=VALUE item into actions; mark: VALUE is MARK[/MASK], else a priority. */
static int parse_item(struct fs_class_action *actions, const char *opt, char *item, bool mark,
		      const struct fs_model *m)
{
	char *eq = strchr(item, '='), *slash;
	struct fs_class_action *a;
	int c;

	if (!eq || eq == item)
		return fs_err(opt, "'%s' is not CLASS=%s", item, mark ? "MARK[/MASK]" : "N");
	c = class_index(opt, item, (size_t)(eq - item), m);
	if (c < 0)
		return -1;
	a = &actions[c];
	if (!mark) {
		a->set_priority = 1;
		return parse_u32(opt, eq + 1, &a->priority);
	}
	slash = strchr(eq + 1, '/');
	if (slash)
		*slash = '\0';
	a->mark_mask = 0xffffffffU;
	if (parse_u32(opt, eq + 1, &a->mark) < 0 ||
	    (slash && parse_u32(opt, slash + 1, &a->mark_mask) < 0))
		return -1;
	if (!a->mark_mask || (a->mark & ~a->mark_mask))
		return fs_err(opt, "%s: the mark must lie within a mask that is not 0", item);
	return 0;
}

static int parse_list(struct fs_class_action *actions, const char *opt, const char *list, bool mark,
		      const struct fs_model *m)
{
	char *copy, *item, *save = NULL;
	int err = 0;

	if (!list)
		return 0;
	copy = strdup(list);
	if (!copy)
		return fs_err(opt, "out of memory");
	for (item = strtok_r(copy, ",", &save); item && !err; item = strtok_r(NULL, ",", &save))
		err = parse_item(actions, opt, item, mark, m);
	free(copy);
	return err;
}

int fs_class_actions_parse(struct fs_class_action *actions, const char *marks,
			   const char *priorities, const struct fs_model *m)
{
	const char *opt = marks ? "--class-mark" : "--class-priority";
	unsigned int c;

	memset(actions, 0, FS_KM_MAX_CLASSES * sizeof(*actions));
	if (!marks && !priorities)
		return 0;
	if (!m || !m->kernel.cfg.checkpoint)
		return fs_err(opt, "the model has no kernel model to decide flows with "
				   "(flowscope train makes one)");
	if (parse_list(actions, "--class-mark", marks, true, m) < 0 ||
	    parse_list(actions, "--class-priority", priorities, false, m) < 0)
		return -1;
	for (c = 0; c < FS_KM_MAX_CLASSES; c++)
		if (actions[c].mark_mask || actions[c].set_priority)
			return 1;
	return 0;
}
