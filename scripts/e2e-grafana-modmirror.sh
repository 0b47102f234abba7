#!/usr/bin/env bash
# Prints one `go mod edit` flag per line that mirrors the replace and exclude directives of the
# given go.mod ($1). Local-path replacements are resolved against the module's directory ($2).
set -euo pipefail
gomod="$1"; moddir="$2"
go mod edit -json "$gomod" | python3 -c '
import json, os, sys
m = json.load(sys.stdin); moddir = sys.argv[1]
for r in m.get("Replace") or []:
    old = r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else "")
    new = r["New"]["Path"]
    if r["New"].get("Version"):
        new += "@" + r["New"]["Version"]
    elif new.startswith("."):
        new = os.path.normpath(os.path.join(moddir, new))
    print("-replace=%s=%s" % (old, new))
for e in m.get("Exclude") or []:
    print("-exclude=%s@%s" % (e["Path"], e["Version"]))
' "$moddir"
