/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: arbitrary bytes as the output of "systemd-analyze security --json=short", read by
 * "systemd-landlock security --with-systemd" (json-c, strict).
 *
 * Invariants: the overall exposure computed from the rows is 0…100 or -1; rows that were read, written
 * back with our own JSON writer and read again are the same rows, and what we write is JSON (checked by a
 * validator of our own, after RFC 8259). */

#include <ctype.h>

#include "analyze-merge.h"
#include "fuzz.h"
#include "output.h"

static void assert_row_equal(const AnalyzeRow *a, const AnalyzeRow *b, size_t i) {
        const char *x[] = { a->name, a->json_field, a->description, a->exposure },
                   *y[] = { b->name, b->json_field, b->description, b->exposure };

        fuzz_assert(a->set == b->set, "row %zu: set %d became %d", i, a->set, b->set);
        for (size_t k = 0; k < ELEMENTSOF(x); k++)
                fuzz_assert((!x[k] && !y[k]) || (x[k] && y[k] && streq(x[k], y[k])),
                            "row %zu, field %zu: \"%s\" became \"%s\"", i, k, strna(x[k]), strna(y[k]));
}

static char *write_rows(const AnalyzeReport *rep) {
        _cleanup_json_ json_object *list = json_object_new_array();
        const char *text;

        if (!list)
                abort();
        for (size_t i = 0; i < rep->n_rows; i++) {
                const AnalyzeRow *r = rep->rows + i;
                json_object *o = json_object_new_object();

                if (json_append(list, o) < 0 ||
                    (r->set < 0 ? json_add_string(o, "set", NULL) : json_add_bool(o, "set", r->set)) < 0 ||
                    json_add_string(o, "name", r->name) < 0 ||
                    json_add_string(o, "json_field", r->json_field) < 0 ||
                    json_add_string(o, "description", r->description) < 0 ||
                    /* Kept as text by the reader: a number written as a string reads back the same. */
                    json_add_string(o, "exposure", r->exposure) < 0)
                        abort();
        }
        text = json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text)
                abort();
        return strdup(text);
}

/* A JSON validator after RFC 8259, independent of the reader: is the text at *p one JSON value? */
static void json_skip_space(const char **p) {
        *p += strspn(*p, " \t\n\r");
}

static bool json_valid_string(const char **p) {
        const unsigned char *q = (const unsigned char *) *p;

        if (*q++ != '"')
                return false;
        for (; *q != '"'; q++) {
                if (*q < 0x20)
                        return false;   /* NUL included */
                if (*q != '\\')
                        continue;
                q++;
                if (*q == 'u') {
                        for (int i = 1; i <= 4; i++)
                                if (!isxdigit(q[i]))
                                        return false;
                        q += 4;
                } else if (!*q || !strchr("\"\\/bfnrt", *q))
                        return false;
        }
        *p = (const char *) q + 1;
        return true;
}

static bool json_valid_number(const char **p) {
        const char *q = *p;

        if (*q == '-')
                q++;
        if (*q == '0')
                q++;
        else if (*q >= '1' && *q <= '9')
                q += strspn(q, "0123456789");
        else
                return false;
        if (*q == '.') {
                q++;
                if (!isdigit((unsigned char) *q))
                        return false;
                q += strspn(q, "0123456789");
        }
        if (*q == 'e' || *q == 'E') {
                q++;
                if (*q == '+' || *q == '-')
                        q++;
                if (!isdigit((unsigned char) *q))
                        return false;
                q += strspn(q, "0123456789");
        }
        *p = q;
        return true;
}

static bool json_valid_value(const char **p, unsigned depth) {
        bool object;

        json_skip_space(p);
        if (**p == '"')
                return json_valid_string(p);
        if (**p == '-' || isdigit((unsigned char) **p))
                return json_valid_number(p);
        for (const char *const *k = (const char *const[]) { "true", "false", "null", NULL }; *k; k++)
                if (startswith(*p, *k)) {
                        *p += strlen(*k);
                        return true;
                }
        if ((**p != '[' && **p != '{') || depth > 64)
                return false;

        object = **p == '{';
        (*p)++;
        json_skip_space(p);
        if (**p == (object ? '}' : ']')) {
                (*p)++;
                return true;
        }
        for (;;) {
                if (object) {
                        json_skip_space(p);
                        if (!json_valid_string(p))
                                return false;
                        json_skip_space(p);
                        if (*(*p)++ != ':')
                                return false;
                }
                if (!json_valid_value(p, depth + 1))
                        return false;
                json_skip_space(p);
                if (**p == ',') {
                        (*p)++;
                        continue;
                }
                if (**p != (object ? '}' : ']'))
                        return false;
                (*p)++;
                return true;
        }
}

static bool json_valid(const char *text) {
        const char *p = text;

        if (!json_valid_value(&p, 0))
                return false;
        json_skip_space(&p);
        return *p == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(analyze_report_done) AnalyzeReport first = { .exposure = -1 }, second = { .exposure = -1 };
        _cleanup_free_ char *text = NULL, *written = NULL;
        int r;

        if (size > 64 * 1024)
                return 0;
        text = strndup((const char *) data, size);
        if (!text)
                return 0;

        r = analyze_parse_json(text, &first);
        fuzz_assert(r == 0 || r == -EBADMSG || r == -ENOMEM, "analyze_parse_json() returned %d", r);
        if (r < 0)
                return 0;
        fuzz_assert(first.exposure >= -1 && first.exposure <= 100, "overall exposure %d", first.exposure);

        written = write_rows(&first);
        fuzz_assert(json_valid(written), "we wrote what is not JSON: %s", written);
        r = analyze_parse_json(written, &second);
        fuzz_assert(r == 0, "our own JSON of the rows does not read back (%d): %s", r, written);
        fuzz_assert(first.n_rows == second.n_rows, "%zu rows became %zu", first.n_rows, second.n_rows);
        for (size_t i = 0; i < first.n_rows; i++)
                assert_row_equal(first.rows + i, second.rows + i, i);
        return 0;
}
