# SPDX-License-Identifier: LGPL-2.1-or-later
# A template whose LandlockReadWritePaths= uses %i: each instance writes only beneath its own directory.
. /usr/lib/systemd-landlock-tests/lib.sh

for i in a b; do
        rm -f /srv/lltest/inst/$i/new
        start_ok lltest-tmpl@$i.service
        expect lltest-tmpl@$i.service "write /srv/lltest/inst/$i/new: ok" "write /srv/lltest/inst/other/new: EACCES"
done
[[ ! -e /srv/lltest/inst/other/new ]] || fail "an instance wrote outside its directory"
