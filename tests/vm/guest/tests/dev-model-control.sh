# SPDX-License-Identifier: GPL-2.0
# needs: model
# The guest reaches the device model's control socket (fault injection for
# later tests): status answers, counters reset, a bad command is refused.
set -e
wd-model reset-counters
out=$(wd-model status)
echo "$out"
case $out in "ok done=0 "*) ;; *) echo "unexpected status reply"; exit 1 ;; esac
if wd-model no-such-command; then echo "bad command accepted"; exit 1; fi
out=$(wd-model clients)
echo "$out"
case $out in *fn0=connected*) ;; *) echo "PF not connected"; exit 1 ;; esac
# The second PF has its own model process and port.
out=$(wd-model -m 1 clients)
echo "$out"
case $out in *fn0=connected*) ;; *) echo "second PF not connected"; exit 1 ;; esac
if wd-model -m 7 status; then echo "a third model answered"; exit 1; fi
