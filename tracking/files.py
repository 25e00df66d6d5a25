"""Writing the tracker's JSON files whole or not at all: a reader (or a run interrupted half-way) never
sees half a file."""
import json
import os


def write_json(path, data):
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)
