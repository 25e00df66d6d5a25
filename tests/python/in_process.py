"""An entry point run in the test's own interpreter, as a subprocess would have shown it: its exit
status, stdout and stderr. Starting an interpreter per call (each importing scipy or matplotlib) was
most of the Python suites' time."""
import contextlib
import io
import types


def run(main):
    """Calls main() (returning a status, or exiting) with stdout and stderr captured. sys.exit("text")
    prints the text to stderr and gives status 1, as the interpreter does; any other exception escapes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main()
        except SystemExit as e:
            code = e.code
        if isinstance(code, str):
            print(code, file=err)
            code = 1
    return types.SimpleNamespace(returncode=code or 0, stdout=out.getvalue(), stderr=err.getvalue())
