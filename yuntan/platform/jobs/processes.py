"""Which process runs a job, and whether it is still alive.

A process is named ``host:pid:start`` (``start``: its start time in clock ticks since boot,
from ``/proc/<pid>/stat``, empty where there is no ``/proc``), so a pid reused by a later
process (a container restarted: the same pids again) does not pass for the one that died.
"""

from __future__ import annotations

import os
import socket
from functools import cache


def _start_ticks(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return ""
    # Field 22 (starttime); fields after the command name, which may hold spaces, start at 3.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else ""


@cache
def _token_of_pid(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid)}"


def process_token() -> str:
    """This process, as ``host:pid:start``."""
    return _token_of_pid(os.getpid())


def process_alive(token: str) -> bool | None:
    """Whether the process ``token`` names still runs: None when it ran on another host
    (this process cannot tell), True for a token it cannot read."""
    host, _, rest = token.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname():
        return None
    try:
        pid = int(pid_text)
    except ValueError:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    return not start or _start_ticks(pid) in ("", start)
