/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Libraries only one command needs (HDF5 for `export -o FILE.h5`,
 * libmicrohttpd for `attach --metrics`), loaded when first used. Linked
 * normally, HDF5 alone brings libcurl, GnuTLS and Kerberos with it, and
 * resolving them took 15 of the 24 ms every flowscope command spent
 * starting (perf stat flowscope --version: 24 ms before, 9 ms after).
 *
 * A user lists the symbols it calls, X(name) each, keeps them in a struct
 * of pointers typed from the library's own header, and fills it once:
 *
 *	#define API(X) X(H5Fcreate) X(H5Fclose)
 *	static struct { API(FS_LAZY_MEMBER) } h5;
 *	names[] = {API(FS_LAZY_NAME)}, slots[] = {(void **)&h5.H5Fcreate, ...}
 *	fs_lazy_load(SONAME, "HDF5 output", path, names, slots, n, &lib)
 *	... h5.H5Fcreate(...)
 *
 * The sonames come from the Makefile, read off the libraries built against;
 * the Debian package names their packages in Depends (dh_shlibdeps cannot
 * see a dlopen).
 */
#ifndef FS_LAZYLIB_H
#define FS_LAZYLIB_H

#include <stddef.h>

#define FS_LAZY_MEMBER(name) __typeof__(&name) name;
#define FS_LAZY_NAME(name)   #name,

/*
 * dlopen(soname), then each names[i] into *slots[i]: 0 and *lib, or -1
 * (and nothing loaded) after "flowscope: SUBJECT: cannot load SONAME
 * (needed for WHAT): why" or a line naming the missing symbol.
 */
int fs_lazy_load(const char *soname, const char *what, const char *subject,
		 const char *const names[], void **const slots[], size_t n, void **lib);

#endif /* FS_LAZYLIB_H */
