/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>

#include "alloc-util.h"
#include "log.h"
#include "strv.h"
#include "unit-bus.h"
#include "unit-exec-keys.h"

#define SD_DESTINATION "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"

#define _cleanup_bus_message_ _cleanup_(sd_bus_message_unrefp)

static int strcmp_ptr(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The manager's own socket, as systemctl uses it: no bus daemon needed, which matters for user managers
 * (a minimal system has no session bus). Only root may use the system manager's. */
static int bus_open_manager_socket(UnitScope scope, sd_bus **ret) {
        _cleanup_free_ char *address = NULL;
        sd_bus *bus = NULL;
        int r;

        if (scope == UNIT_SCOPE_USER) {
                const char *e = getenv("XDG_RUNTIME_DIR");

                if (!e || e[0] != '/')
                        return -ENXIO;
                if (asprintf(&address, "unix:path=%s/systemd/private", e) < 0)
                        return -ENOMEM;
        } else {
                if (geteuid() != 0)
                        return -EPERM;
                address = strdup("unix:path=/run/systemd/private");
                if (!address)
                        return -ENOMEM;
        }

        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, address);
        if (r >= 0)
                r = sd_bus_start(bus);
        if (r < 0) {
                sd_bus_unref(bus);
                return r;
        }
        *ret = bus;
        return 0;
}

int bus_connect_manager(UnitScope scope, sd_bus **ret) {
        int r;

        r = bus_open_manager_socket(scope, ret);
        if (r >= 0)
                return 0;
        log_debug_errno(r, "Failed to connect to the manager's own socket, trying the bus: %m");

        r = scope == UNIT_SCOPE_USER ? sd_bus_open_user(ret) : sd_bus_open_system(ret);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the %s manager's bus (use --offline to read unit "
                                       "files only): %m", scope == UNIT_SCOPE_USER ? "user" : "system");
        return 0;
}

static int bus_get_string(sd_bus *bus, const char *path, const char *iface, const char *prop, char **ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_get_property_string(bus, SD_DESTINATION, path, iface, prop, &error, ret);
        if (r < 0)
                log_error_errno(r, "Failed to get property %s of %s: %s", prop, path, error.message ?: strerror(-r));
        sd_bus_error_free(&error);
        return r;
}

/* Unit.InvocationID (ay, 16 bytes, all zero when not running) as the journal's 32 hex digits. */
static int bus_get_invocation_id(sd_bus *bus, const char *path, char **ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        const uint8_t *id;
        size_t n;
        bool zero = true;
        char *s;
        int r;

        *ret = NULL;
        r = sd_bus_get_property(bus, SD_DESTINATION, path, SD_UNIT, "InvocationID", &error, &reply, "ay");
        sd_bus_error_free(&error);
        if (r < 0)
                return 0;       /* older managers: no record to compare with */
        r = sd_bus_message_read_array(reply, 'y', (const void **) &id, &n);
        if (r < 0 || n != 16)
                return 0;
        for (size_t i = 0; i < n; i++)
                zero = zero && id[i] == 0;
        if (zero)
                return 0;
        s = malloc(33);
        if (!s)
                return log_oom();
        for (size_t i = 0; i < n; i++)
                snprintf(s + 2 * i, 3, "%02x", id[i]);
        *ret = s;
        return 0;
}

/* Exec*Ex (a(sasasttttuii), v243+) carries the flags, "privileged" among them; the plain property
 * (a(sasbttttuii)) does not: fall back to it for sockets and older managers. */
static int bus_read_exec_property(sd_bus *bus, const char *path, const char *iface, const char *field,
                                  LandlockUnit *u) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_free_ char *ex = NULL;
        bool extended = true;
        int r;

        if (asprintf(&ex, "%sEx", field) < 0)
                return log_oom();

        r = sd_bus_get_property(bus, SD_DESTINATION, path, iface, ex, &error, &reply, "a(sasasttttuii)");
        if (r < 0) {
                sd_bus_error_free(&error);
                extended = false;
                r = sd_bus_get_property(bus, SD_DESTINATION, path, iface, field, &error, &reply,
                                        "a(sasbttttuii)");
                if (r < 0) {
                        /* Not a property of this unit type: nothing to read. */
                        sd_bus_error_free(&error);
                        return 0;
                }
        }

        r = sd_bus_message_enter_container(reply, 'a', extended ? "(sasasttttuii)" : "(sasbttttuii)");
        if (r < 0)
                return log_error_errno(r, "Failed to parse %s of %s: %m", field, u->name);

        while ((r = sd_bus_message_enter_container(reply, 'r', extended ? "sasasttttuii" : "sasbttttuii")) > 0) {
                _cleanup_strv_free_ char **argv = NULL, **flags = NULL;
                RunningCommand *c;
                const char *exe;

                r = sd_bus_message_read(reply, "s", &exe);
                if (r >= 0)
                        r = sd_bus_message_read_strv(reply, &argv);
                if (r >= 0 && extended)
                        r = sd_bus_message_read_strv(reply, &flags);
                if (r >= 0)
                        r = sd_bus_message_skip(reply, extended ? "ttttuii" : "bttttuii");
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return log_error_errno(r, "Failed to parse %s of %s: %m", field, u->name);

                if (!GREEDY_REALLOC(u->running, u->n_running + 1))
                        return log_oom();
                c = u->running + u->n_running++;
                *c = (RunningCommand) {
                        .field = strdup(field),
                        .argv = TAKE_PTR(argv),
                        .privileged = strv_contains(flags, "privileged"),
                };
                if (!c->field)
                        return log_oom();
                /* argv[0] may be the "@" name; the executable is what decides whether it is wrapped. */
                if (c->argv && c->argv[0] && !streq(c->argv[0], exe)) {
                        char *e = strdup(exe);

                        if (!e)
                                return log_oom();
                        free(c->argv[0]);
                        c->argv[0] = e;
                }
                r = running_command_classify(c);
                if (r < 0)
                        return log_oom();
        }
        if (r < 0)
                return log_error_errno(r, "Failed to parse %s of %s: %m", field, u->name);
        return 0;
}

int bus_landlock_unit_load(sd_bus *bus, const char *name, LandlockUnit *ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        const char *path, *section, *iface;
        LandlockUnit u = {};
        int r;

        assert(bus);
        assert(name);

        r = sd_bus_call_method(bus, SD_DESTINATION, SD_PATH, SD_MANAGER, "LoadUnit", &error, &reply, "s", name);
        if (r < 0) {
                log_error_errno(r, "Failed to load unit %s: %s", name, error.message ?: strerror(-r));
                sd_bus_error_free(&error);
                return r;
        }
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return log_error_errno(r, "Failed to parse the reply to LoadUnit(%s): %m", name);

        u.name = strdup(name);
        if (!u.name)
                return log_oom();
        u.online = true;

        r = bus_get_string(bus, path, SD_UNIT, "LoadState", &u.load_state);
        if (r >= 0)
                r = bus_get_string(bus, path, SD_UNIT, "ActiveState", &u.active_state);
        if (r >= 0)
                r = bus_get_string(bus, path, SD_UNIT, "FragmentPath", &u.fragment);
        if (r >= 0)
                r = bus_get_invocation_id(bus, path, &u.invocation_id);
        if (r >= 0) {
                r = sd_bus_get_property_strv(bus, SD_DESTINATION, path, SD_UNIT, "DropInPaths", &error, &u.dropins);
                if (r < 0)
                        log_error_errno(r, "Failed to get DropInPaths of %s: %s", name, error.message ?: strerror(-r));
                sd_bus_error_free(&error);
        }
        if (r < 0)
                goto fail;

        if (streq(u.load_state, "not-found")) {
                r = log_error_errno(ENOENT, "Unit %s not found.", name);
                goto fail;
        }
        u.masked = streq(u.load_state, "masked");
        if (isempty(u.fragment)) {
                free(u.fragment);
                u.fragment = NULL;
        }

        r = landlock_unit_parse_files(&u, NULL);
        if (r < 0)
                goto fail;

        section = landlock_unit_section(&u);
        if (section && (streq(section, "Service") || streq(section, "Socket"))) {
                bool service = streq(section, "Service");

                iface = service ? "org.freedesktop.systemd1.Service" : "org.freedesktop.systemd1.Socket";
                for (const char *const *f = unit_exec_keys(section); *f; f++) {
                        r = bus_read_exec_property(bus, path, iface, *f, &u);
                        if (r < 0)
                                goto fail;
                }
        }

        *ret = u;
        return 0;

fail:
        landlock_unit_done(&u);
        return r;
}

int bus_list_service_units(sd_bus *bus, char ***ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **names = NULL;
        const char *id, *load;
        int r;

        r = sd_bus_call_method(bus, SD_DESTINATION, SD_PATH, SD_MANAGER, "ListUnits", &error, &reply, NULL);
        if (r < 0) {
                log_error_errno(r, "Failed to list units: %s", error.message ?: strerror(-r));
                sd_bus_error_free(&error);
                return r;
        }

        r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        if (r < 0)
                return log_error_errno(r, "Failed to parse the unit list: %m");
        while ((r = sd_bus_message_read(reply, "(ssssssouso)", &id, NULL, &load, NULL, NULL, NULL, NULL, NULL,
                                        NULL, NULL)) > 0) {
                if (!endswith(id, ".service") || !streq(load, "loaded"))
                        continue;
                r = strv_extend(&names, id);
                if (r < 0)
                        return log_oom();
        }
        if (r < 0)
                return log_error_errno(r, "Failed to parse the unit list: %m");

        if (names)
                qsort(names, strv_length(names), sizeof(char *), strcmp_ptr);
        *ret = TAKE_PTR(names);
        return 0;
}
