/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: arbitrary bytes as /etc/ld.so.cache (glibc's "glibc-ld.so.cache1.1" format, maybe
 * after an old-format table), read by src/shared/exec-closure.c when it resolves the libraries of a real
 * executable: this fuzzer itself (/proc/self/exe), whose DT_NEEDED names (libc.so.6, libcap.so.2, …) are
 * looked up in the cache first, then in this machine's default directories, read only. */

#include "fuzz-exec-closure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *cache = NULL, *no_preload = NULL;
        int r;

        if (size > 64 * 1024)
                return 0;
        cache = strdup(fuzz_path("ld.so.cache"));
        no_preload = strdup(fuzz_path("no-ld.so.preload"));
        if (!cache || !no_preload)
                abort();
        fuzz_write_file(cache, data, size, 0644);

        r = exec_closure_compute("/proc/self/exe", &(ExecClosureOptions) {
                                         .ld_so_cache = cache,
                                         .ld_so_preload = no_preload,
                                 }, &files);
        fuzz_assert(r >= 0, "the closure of this very program failed: %s", strerror(-r));
        fuzz_assert_closure("/proc/self/exe", files);
        return 0;
}
