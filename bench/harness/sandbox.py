"""A `qcc-radar sandbox` process for the length of one figure.

The sandbox runs as its own process (not inside the measured program), so its work is never
counted in a client's RSS or threads, and every side of a figure talks to the same server.
It is started with `--until-stdin-closes`: when the harness closes the pipe, or dies, the
sandbox stops by itself.
"""

from __future__ import annotations

import json
import select
import subprocess
from typing import Dict, List, Optional

from .tools import HarnessError, Tools, child_env, json_line, run, show


class Sandbox:
    """`with Sandbox(tools, "large", "--large-bytes", "1073741824") as sb: …`"""

    def __init__(self, tools: Tools, scenario: str, *flags: str) -> None:
        self.tools = tools
        self.args: List[str] = [
            str(tools.qcc),
            "sandbox",
            "--scenario",
            scenario,
            *flags,
            "--until-stdin-closes",
        ]
        self.proc: Optional[subprocess.Popen] = None
        self.base_url = self.app_key = self.secret_key = ""

    @property
    def command(self) -> str:
        """How to start the same sandbox by hand (the harness adds --until-stdin-closes)."""
        return "qcc-radar " + show(self.args[1:-1])

    def __enter__(self) -> "Sandbox":
        log = open(self.tools.work / "sandbox-stderr.txt", "ab")
        self.proc = subprocess.Popen(
            self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log
        )
        log.close()
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("{"):
            self.__exit__(None, None, None)
            raise HarnessError(f"the sandbox did not start: {show(self.args)}")
        first = json.loads(line)
        self.base_url, self.app_key, self.secret_key = (
            first["base_url"],
            first["app_key"],
            first["secret_key"],
        )
        return self

    def __exit__(self, *exc: object) -> None:
        p, self.proc = self.proc, None
        if p is None:
            return
        try:
            if p.stdin:
                p.stdin.close()
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=15)
        finally:
            if p.stdout:
                p.stdout.close()

    @property
    def env(self) -> Dict[str, str]:
        """The environment a client needs to reach this sandbox."""
        return child_env(
            {
                "QCC_BASE_URL": self.base_url,
                "QCC_APP_KEY": self.app_key,
                "QCC_SECRET_KEY": self.secret_key,
            }
        )

    def ready_order(self) -> Dict[str, str]:
        """Orders a day report and waits for it with the CLI; returns `status --json`'s object
        (order_no, url …)."""
        out, _ = run([self.tools.qcc, "create", "--type", "day", "--json"], timeout=60, env=self.env)
        order = json.loads(json_line(out))["order_no"]
        run([self.tools.qcc, "wait", order, "--timeout", "120", "--json"], timeout=150, env=self.env)
        out, _ = run([self.tools.qcc, "status", order, "--json"], timeout=60, env=self.env)
        info = json.loads(json_line(out))
        if info.get("report_status") != "S" or not info.get("url"):
            raise HarnessError(f"order {order} is not ready: {info.get('status')}")
        return info
