/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: arbitrary bytes as an executable, through the ELF reader (PT_INTERP, PT_DYNAMIC:
 * DT_NEEDED, DT_RPATH, DT_RUNPATH, DF_1_NODEFLIB, $ORIGIN/$LIB/$PLATFORM) and the "#!" reader of
 * src/shared/exec-closure.c, as exec_interpreter() and exec_closure_compute() use them. The libraries it
 * names are looked up in this machine's directories, read only; there is no ld.so.cache, and the search
 * path for "#!/usr/bin/env NAME" is the fuzzer's directory, where the input itself is "exe". */

#include "fuzz-exec-closure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *interpreter = NULL, *exe = NULL, *no_cache = NULL, *no_preload = NULL;
        int r;

        if (size > 64 * 1024)
                return 0;
        exe = strdup(fuzz_path("exe"));
        no_cache = strdup(fuzz_path("no-ld.so.cache"));
        no_preload = strdup(fuzz_path("no-ld.so.preload"));
        if (!exe || !no_cache || !no_preload)
                abort();
        fuzz_write_file(exe, data, size, 0755);

        r = exec_interpreter(exe, &interpreter);
        fuzz_assert(r <= 1, "exec_interpreter() returned %d", r);
        fuzz_assert(r != 1 || interpreter, "exec_interpreter() returned 1 without an interpreter");

        r = exec_closure_compute(exe, &(ExecClosureOptions) {
                                         .search_path = fuzz_dir,
                                         .ld_so_cache = no_cache,
                                         .ld_so_preload = no_preload,
                                 }, &files);
        if (r >= 0)
                fuzz_assert_closure(exe, files);
        return 0;
}
