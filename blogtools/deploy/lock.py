"""One publish (or rollback) at a time on a target, with a lock that dies with its holder.

Two publishes to one target would otherwise race: each deleting the other's half-copied
release, and either one ending up live. The lock is the kernel's (flock): on a folder
target held by this process, on an SSH target by a ``flock`` on the server that lasts
while this process's ssh connection does. Either way a publish that is killed, or whose
connection drops, holds nothing: no stale lock file to remove by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import threading
from pathlib import Path

from .shell import DeployError, Shell

LOCK = ".publish.lock"
OWNER = ".publish.owner"  # who holds the lock, for the message the next publish gives
WAIT_FOR_SERVER = 60  # seconds for ssh to connect and take the lock
# On the server: take the lock and keep it until our end of the connection closes.
HOLD = (
    'command -v flock >/dev/null 2>&1 || { echo "no-flock"; exit 3; }\n'
    'exec flock -n "$dest/' + LOCK + "\" sh -c 'echo locked; exec cat >/dev/null'\n"
)


def _owner() -> str:
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return f"since {now}, by process {os.getpid()} on {socket.gethostname()}"


def _busy(shell: Shell) -> DeployError:
    try:
        holder = shell.run(f'cat -- "$dest/{OWNER}" 2>/dev/null || true', what="reading")
    except DeployError:
        holder = ""
    who = f" ({holder.strip()})" if holder.strip() else ""
    return DeployError(
        f"another publish or rollback to {shell.target} is running{who} — wait for it to "
        "finish, then try again"
    )


class TargetLock:
    """``with TargetLock(shell):`` — the target is ours until the block ends."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self._file = None
        self._holder: subprocess.Popen | None = None

    def __enter__(self) -> TargetLock:
        if self.shell.remote:
            self._hold_on_server()
        else:
            self._hold_here()
        self.shell.run(
            f'printf "%s\\n" "$1" > "$dest/{OWNER}"', _owner(), what="noting the publish"
        )
        return self

    def _hold_here(self) -> None:
        import fcntl

        path = Path(os.path.expanduser(self.shell.target.path)) / LOCK
        self._file = open(path, "a+")  # noqa: SIM115 (held until the block ends)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            self._file = None
            raise _busy(self.shell) from None

    def _hold_on_server(self) -> None:
        self._holder = subprocess.Popen(
            self.shell.command(HOLD),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        answer: list[str] = []
        reader = threading.Thread(target=lambda: answer.append(self._holder.stdout.readline()))
        reader.start()
        reader.join(WAIT_FOR_SERVER)
        said = answer[0].strip() if answer else ""
        if said == "locked":
            return
        self._release_holder()
        if said == "no-flock":
            raise DeployError(
                f"{self.shell.target}: the server has no flock command, which keeps two "
                "publishes apart — install util-linux there (Debian: apt-get install util-linux)"
            )
        if answer and self._holder.returncode == 1:
            raise _busy(self.shell)
        error = self._holder.stderr.read().strip() if self._holder.stderr else ""
        raise DeployError(f"could not reach {self.shell.target} to take its lock: {error}")

    def _release_holder(self) -> None:
        if self._holder is None:
            return
        try:
            self._holder.stdin.close()  # the server's cat ends, and flock lets go
            self._holder.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self._holder.kill()
            self._holder.wait()

    def __exit__(self, *_exception) -> None:
        with contextlib.suppress(DeployError):  # the lock itself goes all the same
            self.shell.run(f'rm -f -- "$dest/{OWNER}"', what="noting the end of the publish")
        if self._file is not None:
            self._file.close()  # closing the file lets go of the flock
            self._file = None
        self._release_holder()
