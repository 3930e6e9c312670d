#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What demo.service runs: one read its policy allows, one it does not.
for f in /srv/demo/public/hello.txt /srv/demo/private/secret.txt; do
        if content=$(cat "$f" 2>&1); then
                echo "ALLOWED  cat $f -> $content"
        else
                echo "DENIED   cat $f -> $content"
        fi
done
