"""Reading ipcbench results: Google Benchmark JSON in, parsed benchmark names out.

Names are paths of plain words followed by key:value parameters
(ipc/pipe/latency/peer:process/pin:cross/size:64); this module is the one place that parses them.
"""
import json
import statistics
import sys


# The error_message prefix of a benchmark this machine could not run (a kernel limit, a size the
# mechanism cannot carry): ipcbench's harness/bench/skip.hpp writes it; a skip is not a failure.
SKIP_PREFIX = "skipped: "


class ResultsError(Exception):
    """A results file that cannot be used (missing, not JSON, not ipcbench's shape)."""


def parse_name(name):
    """'ipc/pipe/latency/peer:process/size:64' -> (['ipc', 'pipe', 'latency'], {'peer': 'process', 'size': '64'})."""
    words, params = [], {}
    for part in name.split("/"):
        if ":" in part:
            key, _, value = part.partition(":")
            params[key] = value
        else:
            words.append(part)
    return words, params


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise ResultsError(f"cannot read results '{path}': {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise ResultsError(f"results '{path}' is not valid JSON (truncated or corrupt?): {e}") from e
    except UnicodeDecodeError as e:
        raise ResultsError(
            f"results '{path}' is not a text file (binary, or not UTF-8); give an ipcbench " "results JSON file"
        ) from e
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise ResultsError(f"results '{path}' has no 'benchmarks' list; is it a Google Benchmark JSON file?")
    return data


def per_benchmark(data):
    """One record per benchmark: its iteration entries' fields, medians over repetitions (the harness wrote
    each figure's interval, <field>_lo and <field>_hi, over them all), how many there were, each one's
    figures by round (`rounds`, for comparisons paired over interleaved rounds), and why a percentile is
    absent (`absent`: {counter: reason}).

    Failed entries are kept apart (as 'error') so a chart never draws a number that was not measured.
    """
    groups = {}
    for entry in data["benchmarks"]:
        if entry.get("run_type", "iteration") != "iteration":
            continue
        groups.setdefault(entry.get("run_name", entry["name"]), []).append(entry)
    records = []
    for name, entries in groups.items():
        words, params = parse_name(name)
        good = [e for e in entries if not e.get("error_occurred")]
        record = {"name": name, "words": words, "params": params}
        if not good:
            record["error"] = entries[0].get("error_message", "failed")
        else:
            numeric = {k for e in good for k, v in e.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
            for key in numeric:
                values = [e[key] for e in good if key in e]
                record[key] = statistics.median(values)
            record["time_unit"] = good[0].get("time_unit", "ns")
            record["repetitions"] = len(good)
            record["rounds"] = {e["ipcbench_round"]: e for e in good if "ipcbench_round" in e}
            fewest = min(good, key=lambda e: e.get("samples", 0))
            if fewest.get("absent"):
                record["absent"] = fewest["absent"]
            if "cpp_counterpart" in good[0]:  # a py/ benchmark: the C++ one it rests on
                record["cpp_counterpart"] = good[0]["cpp_counterpart"]
        records.append(record)
    return records


def is_skip(record):
    """Whether a record (per_benchmark) or an entry (the JSON) was skipped rather than failed."""
    message = record.get("error", record.get("error_message", ""))
    return message.startswith(SKIP_PREFIX)


def mechanism_facts(data):
    """{mechanism: facts} from the run's context: description, data_path (kernel_copy, shared_memory,
    network_stack), waits (blocks, spins, hybrid, kernel_polls), library, limits. Empty for runs written before
    ipcbench recorded them: then nothing is judged from them."""
    facts = data.get("context", {}).get("mechanisms", {})
    return facts if isinstance(facts, dict) else {}


def fail(message):
    print(f"ipcbench: {message}", file=sys.stderr)
    sys.exit(2)
