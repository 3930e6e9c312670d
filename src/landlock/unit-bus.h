/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Online mode: ask the running manager (org.freedesktop.systemd1) which files make up a unit and which
 * commands it will really run. */

#include <systemd/sd-bus.h>

#include "landlock-unit.h"

#define _cleanup_bus_ _cleanup_(sd_bus_flush_close_unrefp)

int bus_connect_manager(UnitScope scope, sd_bus **ret);

/* Loads "name" through the manager (LoadUnit), then reads the files it names. */
int bus_landlock_unit_load(sd_bus *bus, const char *name, LandlockUnit *ret);

/* Loaded service units, sorted. */
int bus_list_service_units(sd_bus *bus, char ***ret);
