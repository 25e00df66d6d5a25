"""Mechanisms in groups a reader can compare within, taken from each mechanism's facts in the JSON (never
its name), at most about six to a chart panel; and one style per mechanism, the same in every chart."""
import math

from . import style

# The groups' keys, in the order the panels appear; each is titled by its group_<key> message.
GROUPS = ["kernel", "network", "shm_sleep", "shm_spin", "tuned", "zero_copy", "library", "other"]


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


def panels(mechanisms, facts, L, most=6):
    """[(title, [mechanism, ...])]: each group's mechanisms, sorted, split evenly into panels of at most
    `most`; a split group's panels are numbered. Titles are the group_<key> messages of L."""
    by = {}
    for m in sorted(mechanisms):
        by.setdefault(group_of(facts.get(m)), []).append(m)
    out = []
    for key in GROUPS:
        title = L["group_" + key]
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
    order = list(GROUPS)
    ranked = sorted(mechanisms, key=lambda m: (order.index(group_of(facts.get(m))), m))
    return dict(zip(ranked, style.series_styles()))
