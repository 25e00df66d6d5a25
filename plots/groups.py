"""Mechanisms in groups a reader can compare within, taken from each mechanism's facts in the JSON (never
its name), at most about six to a chart panel; and one style per mechanism, the same in every chart."""
import math

from . import style

# (key, title), in the order the panels appear.
GROUPS = [
    ("kernel", "Kernel copy, the receiver sleeps"),
    ("network", "Network stack"),
    ("shm_sleep", "Shared memory, woken through the kernel"),
    ("shm_spin", "Shared memory, spinning"),
    ("tuned", "Tuned variants (.big, .busy) and io_uring"),
    ("zero_copy", "Zero-copy hand-off"),
    ("library", "On a library (ZeroMQ, Boost.Interprocess)"),
    ("other", "Mechanisms without recorded facts"),
]


def group_of(facts):
    """The group key of one mechanism's facts."""
    if not facts:
        return "other"
    if facts.get("zero_copy"):
        return "zero_copy"
    if facts.get("counterpart"):
        return "tuned"
    if facts.get("library"):
        return "library"
    if facts.get("data_path") == "network_stack":
        return "network"
    if facts.get("data_path") == "shared_memory":
        return "shm_spin" if facts.get("waits") in ("spins", "hybrid") else "shm_sleep"
    return "kernel"


def panels(mechanisms, facts, most=6):
    """[(title, [mechanism, ...])]: each group's mechanisms, sorted, split evenly into panels of at most
    `most`; a split group's panels are numbered."""
    by = {}
    for m in sorted(mechanisms):
        by.setdefault(group_of(facts.get(m)), []).append(m)
    out = []
    for key, title in GROUPS:
        members = by.get(key, [])
        if not members:
            continue
        parts = math.ceil(len(members) / most)
        size = math.ceil(len(members) / parts)
        for i in range(parts):
            chunk = members[i * size : (i + 1) * size]
            out.append((title if parts == 1 else f"{title} ({i + 1}/{parts})", chunk))
    return out


def styles(mechanisms, facts):
    """{mechanism: (color, marker, line)} for every mechanism the run knows, so one mechanism keeps its look in
    every chart and panel; numbered group by group, so the members of a group (at most 8 here) never share a
    colour."""
    order = [key for key, _ in GROUPS]
    ranked = sorted(mechanisms, key=lambda m: (order.index(group_of(facts.get(m))), m))
    return dict(zip(ranked, style.series_styles()))
