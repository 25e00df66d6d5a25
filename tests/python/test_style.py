"""Every tracked Python file is formatted by black and clean under flake8, with the repository's settings
(pyproject.toml, .flake8); `make format` applies black. Both come from Debian (make test-deps)."""
import os
import shutil
import subprocess
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def python_files():
    out = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.split()


def tool(name):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"{name} is not installed: run `make test-deps` (Debian package {name})")
    return path


class Style(unittest.TestCase):
    def test_black_would_change_nothing(self):
        r = subprocess.run(
            [tool("black"), "--check", "--quiet", *python_files()], cwd=ROOT, capture_output=True, text=True
        )
        self.assertEqual(r.returncode, 0, "run `make format`:\n" + r.stderr)

    def test_flake8_finds_nothing(self):
        r = subprocess.run([tool("flake8"), *python_files()], cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
