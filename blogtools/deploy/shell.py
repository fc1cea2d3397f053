"""Where a target's files are: this machine or a server, reached the same way.

Everything done on a folder or SSH target is a short POSIX shell script, run with
``sh -c SCRIPT sh ARG...`` here or through ssh, so that the target's path and
every name travel as arguments ("$1"), never pasted into the script.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess

from .targets import PathTarget, SshTarget

# Every script starts here: the target folder in $dest (a leading ~ meaning the home
# folder, as a shell would read it unquoted), then the script's own arguments.
PROLOGUE = 'set -eu\ndest=$1\nshift\ncase $dest in "~"|"~/"*) dest="$HOME${dest#"~"}";; esac\n'

TOOLS = {
    "rsync": "rsync (Debian: sudo apt-get install rsync; it is needed on the server too)",
    "ssh": "ssh (Debian: sudo apt-get install openssh-client)",
    "git": "git (Debian: sudo apt-get install git)",
}


class DeployError(Exception):
    """A step failed; the message says which and why. The live site is unchanged."""


def require(*tools: str) -> None:
    """Each tool on the PATH, or a message saying what to install."""
    missing = [TOOLS[t] for t in tools if shutil.which(t) is None]
    if missing:
        raise DeployError("not installed: " + "; ".join(missing) + " — install it and retry")


class Shell:
    """Runs scripts where the target's files are."""

    def __init__(self, target: PathTarget | SshTarget) -> None:
        self.target = target

    @property
    def remote(self) -> bool:
        return isinstance(self.target, SshTarget)

    def command(self, script: str, *arguments: str) -> list[str]:
        body = PROLOGUE + script
        if isinstance(self.target, SshTarget):
            return self.target.remote(body, self.target.path, *arguments)
        return ["sh", "-c", body, "sh", self.target.path, *arguments]

    def run(self, script: str, *arguments: str, what: str, given: str | None = None) -> str:
        result = subprocess.run(
            self.command(script, *arguments), capture_output=True, text=True, input=given
        )
        if result.returncode != 0:
            said = (result.stderr or result.stdout).strip()
            raise DeployError(f"{what} failed on {self.target}: {said or 'no message'}")
        return result.stdout

    def rsync(self, *arguments: str, source: str, into: str) -> list[str]:
        """rsync from the local ``source`` into ``into`` (a path inside the target)."""
        command = ["rsync"]
        if isinstance(self.target, SshTarget):
            command += ["-e", shlex.join([*self.target.ssh_command()])]
            destination = f"{self.target.host}:{self.joined(into)}/"
        else:
            destination = self.joined(into) + "/"
        return [*command, *arguments, "--", source, destination]

    def joined(self, relative: str) -> str:
        """A path inside the target, as rsync takes it (~ expanded by the remote shell)."""
        base = self.target.path.rstrip("/")
        return f"{base}/{relative}" if relative else base
