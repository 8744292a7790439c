#!/bin/sh
# wait-for-app-exit, shell edition: the istio-proxy container's preStop for images with /bin/sh and
# awk but no Node (the stock istio/proxyv2 image; distroless has no shell: use the binary instead).
#
# Same rule as `sidecar-lifecycle wait-for-app-exit`: block while /proc/net/tcp or /proc/net/tcp6
# lists a LISTEN socket (st 0A) whose uid (column 8) is not the proxy's (PROXY_UID, default 1337)
# and whose local port is not one of the sidecar's own. The pod shares one network namespace, so
# the app's sockets are visible here without netstat or its PIDs. Ports are hex in the file, hence
# dec(). awk exits 0 while such a listener exists; the loop polls every second, and the pod's
# terminationGracePeriodSeconds bounds it. If the files cannot be read it returns at once.
#
# The line below is the whole check: docs/kubernetes.md, examples/istio-prestop-shell.yaml and the
# tests use it verbatim, so edit it only here (the tests fail when a copy drifts).
while cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v uid="${PROXY_UID:-1337}" 'function dec(h, i, n) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return n } BEGIN { split("15000 15001 15004 15006 15008 15020 15021 15053 15090", p, " "); for (i in p) skip[p[i]] = 1 } $4 == "0A" && $8 != uid { split($2, a, ":"); if (!(dec(a[2]) in skip)) found = 1 } END { exit !found }'; do sleep 1; done
