#!/usr/bin/env python3
"""The CLI's jsonl answers (stdin) in a form two runs can be compared by: sorted by
path, the path relative to ROOT (the folder as the host or the container sees it),
without `ms` (the time a photo took). Everything else (status, label, p_night,
uncertain, why, error, model) must be identical.

    python3 tests/container/answers.py ROOT < answers.jsonl
"""

import json
import sys

root = sys.argv[1].rstrip("/") + "/"
rows = []
for line in sys.stdin:
    if not line.strip():
        continue
    record = json.loads(line)
    record.pop("ms", None)
    path = record.get("path", "")
    record["path"] = path[len(root):] if path.startswith(root) else path
    rows.append(record)
for record in sorted(rows, key=lambda r: r["path"]):
    print(json.dumps(record, sort_keys=True))
