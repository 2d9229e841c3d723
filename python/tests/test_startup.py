"""`import qcc_radar` stays cheap, and deferring `logging` loses no record.

Issue 10 sets `python -c 'import qcc_radar'` at most 50 ms above `python -c pass`; on this
project's CPython most of that budget went to standard-library modules the package imported
eagerly (bench/FINDINGS.md, start-up). These tests pin down which modules stay out of a bare
import, and that the log bridge still delivers every record once the application imports
`logging`, before or after the package, with the package's NullHandler in place. Each runs in
a fresh interpreter: pytest itself has imported `logging` and `typing` long before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any, Dict

# Modules a bare `import qcc_radar` must not load: each costs milliseconds, several of them
# tens of milliseconds, and the package only needs them once a call or a record does.
DEFERRED = (
    "asyncio",
    "dataclasses",
    "datetime",
    "inspect",
    "logging",
    "pathlib",
    "re",
    "typing",
)

# A fetch on the `flaky` sandbox logs WARNING records (a 502, an interrupted download): what
# `logging` would print to stderr through its last-resort handler if the package's logger had
# no handler at all.
FLAKY_FETCH = """
import os, sys, tempfile
import qcc_radar
with qcc_radar.Sandbox("flaky") as sb, tempfile.TemporaryDirectory() as d:
    report = sb.client(poll_initial=0.02, poll_max=0.05).fetch_report("day", d)
    assert report is not None
"""


def _python(code: str) -> Dict[str, Any]:
    """Runs ``code`` in a fresh interpreter; returns its exit code, stdout and stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QCC_")}
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        cwd="/",  # the installed package, not a source folder
    )
    assert p.returncode == 0, p.stderr
    return {"stdout": p.stdout, "stderr": p.stderr}


def test_bare_import_leaves_the_costly_stdlib_modules_out() -> None:
    out = _python(
        f"""
        import sys
        import qcc_radar
        print([m for m in {DEFERRED!r} if m in sys.modules])
        """
    )
    assert out["stdout"].strip() == "[]", out["stdout"]


def test_report_status_is_still_a_literal_alias() -> None:
    out = _python(
        """
        import sys, typing, qcc_radar
        from qcc_radar import *
        assert ReportStatus is qcc_radar.ReportStatus
        print(typing.get_args(qcc_radar.ReportStatus), "ReportStatus" in dir(qcc_radar))
        """
    )
    assert out["stdout"].strip() == "('P', 'S', 'F') True"


def test_without_logging_imported_calls_do_not_import_it() -> None:
    out = _python(
        FLAKY_FETCH
        + """
print("logging" in sys.modules)
"""
    )
    assert out["stdout"].strip() == "False"
    assert out["stderr"] == ""


def test_logging_configured_after_the_import_receives_the_records() -> None:
    out = _python(
        """
        import json, sys
        import qcc_radar
        import logging
        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stdout, format="%(name)s|%(levelname)s|%(message)s"
        )
        logging.getLogger("qcc_radar").setLevel(logging.DEBUG)
        with qcc_radar.Sandbox("normal") as sb:
            client = sb.client(poll_initial=0.02, poll_max=0.05)
            order = client.create_report("day")
        handlers = [type(h).__name__ for h in logging.getLogger("qcc_radar").handlers]
        print(json.dumps({"order": order, "handlers": handlers}))
        """
    )
    *records, last = out["stdout"].strip().splitlines()
    result = json.loads(last)
    ordered = [r for r in records if "report ordered" in r]
    assert ordered, out["stdout"]
    name, level, _ = ordered[0].split("|", 2)
    assert name.startswith("qcc_radar") and level == "INFO"
    assert result["order"] in ordered[0]
    assert result["handlers"] == ["NullHandler"]


def test_logging_imported_first_gets_the_null_handler_at_import() -> None:
    out = _python(
        """
        import logging
        import qcc_radar
        print([type(h).__name__ for h in logging.getLogger("qcc_radar").handlers])
        """
    )
    assert out["stdout"].strip() == "['NullHandler']"


def test_unconfigured_logging_prints_nothing_before_or_after_the_import() -> None:
    # Without the NullHandler, the flaky fetch's WARNING records would reach stderr through
    # logging's last-resort handler.
    for before, after in (("import logging\n", ""), ("", "import logging\n")):
        code = before + FLAKY_FETCH.replace("import qcc_radar\n", "import qcc_radar\n" + after)
        out = _python(code + "print('logging' in sys.modules)\n")
        assert out["stdout"].strip() == "True", code
        assert out["stderr"] == "", code
