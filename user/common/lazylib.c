// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dlfcn.h>

#include "common/lazylib.h"
#include "common/util.h"

int fs_lazy_load(const char *soname, const char *what, const char *subject,
		 const char *const names[], void **const slots[], size_t n, void **lib)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h)
		return fs_err(subject, "cannot load %s (needed for %s): %s", soname, what,
			      dlerror());
	for (i = 0; i < n; i++) {
		*slots[i] = dlsym(h, names[i]);
		if (!*slots[i]) {
			dlclose(h);
			return fs_err(subject,
				      "%s has no %s: not the version flowscope was built for",
				      soname, names[i]);
		}
	}
	*lib = h;
	return 0;
}
