"""Writing the tracker's JSON files whole or not at all: a reader (or a run interrupted half-way) never
sees half a file."""
import json
import os


def write_json(path, data):
    write_text(path, json.dumps(data, indent=1))


def write_text(path, text):
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
