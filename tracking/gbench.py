"""Google Benchmark's own comparison tools (the gbench package of Debian's libbenchmark-tools), loaded
from where Debian installs them, /usr/share/benchmark/gbench, which is not on Python's path."""
import importlib.util
import os
import sys

GBENCH_DIR = "/usr/share/benchmark/gbench"


def _load(name, path, package_dir=None):
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[package_dir] if package_dir else None
    )
    if spec is None or not os.path.exists(path):
        raise ImportError(f"{path} is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_load("gbench", os.path.join(GBENCH_DIR, "__init__.py"), GBENCH_DIR)
report = _load("gbench.report", os.path.join(GBENCH_DIR, "report.py"))
