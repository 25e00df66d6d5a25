"""The layout CONTRIBUTING.md describes is the layout the code has: every source folder is in its map,
every C++ include points down its dependency order (harness/main.cpp, then app, benches, ... base),
never up, and so does every Python import of plots/ and tracking/ (presentation, analysis, model); the
analysis draws nothing. Standard library only."""
import ast
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRIBUTING = os.path.join(ROOT, "CONTRIBUTING.md")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
GENERATED = {"build_info.hpp"}  # written into the build directory by cmake/build_info.cmake


def order_from(text, title):
    """The folders of CONTRIBUTING.md's line '<title>: `a` -> `b` -> ...', top first."""
    for line in text.splitlines():
        if line.startswith(title + ":"):
            return [f.rstrip("/") for f in re.findall(r"`([^`]+)`", line)]
    raise AssertionError(f"CONTRIBUTING.md has no '{title}:' line")


def layer_of(path, order):
    """The entry of `order` a repository path belongs to: the longest folder (or file) that holds it."""
    best = None
    for entry in order:
        if path == entry or path.startswith(entry + "/"):
            if best is None or len(entry) > len(best):
                best = entry
    return best


def upward_includes(root, order):
    """['file: includes "x" (layer) above its own layer (layer)', ...] for C++ sources under harness/ and
    benches/. Includes name their folder (harness/ is the include root), e.g. "os/peer.hpp"."""
    rank = {entry: i for i, entry in enumerate(order)}
    problems = []
    for top in ("harness", "benches"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                own = layer_of(path, order)
                if own is None:
                    problems.append(f"{path}: in no folder of the dependency order")
                    continue
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    text = f.read()
                for target in INCLUDE.findall(text):
                    if target in GENERATED:
                        continue
                    layer = layer_of("harness/" + target, order)
                    if layer is None:
                        problems.append(f'{path}: includes "{target}", which names no folder of harness/')
                    elif rank[layer] < rank[own]:
                        problems.append(f'{path}: includes "{target}" ({layer}) above its own layer ({own})')
    return problems


def imported_modules(path, text):
    """The repository paths (without .py) of the modules a Python file imports from plots/ or tracking/."""
    package = os.path.dirname(path).split("/")
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            out += [alias.name.replace(".", "/") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            # `from . import x` and `from .pkg import x` may name modules or names: both count.
            out += ["/".join(module + [alias.name]) for alias in node.names] or ["/".join(module)]
    return [m for m in out if m.split("/")[0] in ("plots", "tracking")]


def upward_imports(root, order):
    """['file: imports x (layer) above its own layer (layer)', ...] for the Python under plots/ and
    tracking/: a module belongs to the longest folder of `order` that holds it."""
    rank = {entry: i for i, entry in enumerate(order)}
    problems = []
    for top in ("plots", "tracking"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith(".py"):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                own = layer_of(path, order)
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    text = f.read()
                for module in imported_modules(path, text):
                    layer = layer_of(module, order)
                    if layer is not None and own is not None and rank[layer] < rank[own]:
                        problems.append(f"{path}: imports {module} ({layer}) above its own layer ({own})")
    return problems


def source_folders(root):
    """Every folder holding tracked files, but the hidden ones (.ci, .github) and the top."""
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    folders = {os.path.dirname(f) for f in files.splitlines()}
    return sorted(d for d in folders if d and not d.startswith("."))


class Layering(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(CONTRIBUTING, encoding="utf-8") as f:
            cls.contributing = f.read()
        cls.order = order_from(cls.contributing, "Dependency order")

    def test_every_include_points_down_the_dependency_order(self):
        self.assertEqual(upward_includes(ROOT, self.order), [])

    def test_every_source_folder_is_in_contributings_map(self):
        missing = [d for d in source_folders(ROOT) if f"{d}/" not in self.contributing]
        self.assertEqual(missing, [], "add these folders to CONTRIBUTING.md's layout, with their concern")

    def test_the_order_names_folders_that_exist(self):
        for entry in self.order:
            self.assertTrue(os.path.exists(os.path.join(ROOT, entry)), entry)

    def test_every_python_import_points_down(self):
        self.assertEqual(upward_imports(ROOT, order_from(self.contributing, "Python import order")), [])

    def test_the_analysis_draws_nothing(self):
        code = (
            "import sys, plots.analysis.findings, plots.model.results; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('matplotlib', 'numpy', 'plots') and not m.startswith(('plots.analysis', "
            "'plots.model')) and m != 'plots'))"
        )
        r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "[]", "the analysis loaded a drawing module")

    def test_an_upward_python_import_is_caught(self):
        order = ["plots", "plots/analysis", "plots/model"]
        with tempfile.TemporaryDirectory() as root:
            for folder in ("plots/analysis", "plots/model"):
                os.makedirs(os.path.join(root, folder))
            files = {
                "plots/charts.py": "from .analysis import findings\nfrom .model import query\n",
                "plots/analysis/findings.py": "from ..model import query\nimport plots.model.results\n",
                "plots/model/query.py": "import json\n",
            }
            for path, text in files.items():
                with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                    f.write(text)
            self.assertEqual(upward_imports(root, order), [])
            with open(os.path.join(root, "plots/model/query.py"), "a", encoding="utf-8") as f:
                f.write("from ..analysis import findings\nfrom plots import charts\n")
            problems = upward_imports(root, order)
        self.assertEqual(
            problems,
            [
                "plots/model/query.py: imports plots/analysis/findings (plots/analysis) above its own layer "
                "(plots/model)",
                "plots/model/query.py: imports plots/charts (plots) above its own layer (plots/model)",
            ],
        )

    def test_an_upward_include_is_caught(self):
        order = ["harness/main.cpp", "harness/app", "harness/os"]
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "harness", "os"))
            os.makedirs(os.path.join(root, "harness", "app"))
            with open(os.path.join(root, "harness", "app", "run.cpp"), "w", encoding="utf-8") as f:
                f.write('#include "os/peer.hpp"\n#include "build_info.hpp"\n')
            self.assertEqual(upward_includes(root, order), [])
            with open(os.path.join(root, "harness", "os", "peer.hpp"), "w", encoding="utf-8") as f:
                f.write('#pragma once\n#include "app/run.hpp"\n#include "peer_kind.hpp"\n')
            problems = upward_includes(root, order)
        self.assertEqual(len(problems), 2, problems)
        self.assertIn(
            'harness/os/peer.hpp: includes "app/run.hpp" (harness/app) above its own layer (harness/os)', problems
        )
        self.assertIn('includes "peer_kind.hpp", which names no folder', problems[1])


if __name__ == "__main__":
    unittest.main()
