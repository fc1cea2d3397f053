"""Packaging that tells the truth: what is declared is what is imported, the pins are in step
with the ranges, the package builds and installs, and blog.py sets up as it says."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from sitebuild import ROOT, project_plugins


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.]+", line), f"{name}: not a pin: {line}"
        package, version = line.split("==")
        found[package.lower().replace("_", "-")] = version
    return found


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    return runtime, [Requirement(r) for r in project["optional-dependencies"]["test"]]


def test_the_declared_dependencies_are_exactly_those_imported():
    result = subprocess.run(
        [sys.executable, "-m", "deptry", ".", "plugins", "tests", "benchmarks"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_code_is_unused():
    """vulture, configured in pyproject.toml: what only Pelican or Markdown call is named."""
    result = subprocess.run(
        [sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pins_are_in_step_with_the_declared_ranges_and_installed():
    runtime, test = declared()
    runtime_pins, dev_pins = pins("requirements.txt"), pins("requirements-dev.txt")
    for requirement in runtime:
        name = requirement.name.lower()
        assert name in runtime_pins, f"requirements.txt does not pin {name}"
        assert requirement.specifier.contains(runtime_pins[name]), (name, runtime_pins[name])
    for requirement in runtime + test:
        name = requirement.name.lower()
        assert name in dev_pins, f"requirements-dev.txt does not pin {name}"
        assert requirement.specifier.contains(dev_pins[name]), (name, dev_pins[name])
    for name, version in runtime_pins.items():  # the same versions for writing and testing
        assert dev_pins.get(name) == version, f"{name}: {version} and {dev_pins.get(name)}"
    for name, version in dev_pins.items():  # and these tests run on exactly them
        assert metadata.version(name) == version, f"{name} {metadata.version(name)} installed"


def test_the_package_builds_and_installs_and_its_modules_import(tmp_path):
    source = tmp_path / "source"  # setuptools writes build/ and *.egg-info/ where it builds
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    plugins = "pelican/plugins/"  # namespace plugins, beside Pelican's own package
    assert f"{plugins}citations/engine.lua" in names and "blogtools/deploy/folder.py" in names
    assert "pelican/__init__.py" not in names and f"{plugins}__init__.py" not in names
    for plugin in project_plugins():  # every plugin the site uses, and every module of ours
        assert f"{plugin.replace('.', '/')}/__init__.py" in names, f"the wheel lacks {plugin}"
    ours = ("blogtools", "blogsupport", "plugins")
    for module in [path for folder in ours for path in (ROOT / folder).rglob("*.py")]:
        relative = module.relative_to(ROOT).as_posix().removeprefix("plugins/")
        if "/tests/" not in relative:  # a plugin's own tests stay in the repository
            assert relative in names, f"the wheel lacks {relative}"
    assert not any(n.startswith(("tests/", "content/")) or "/tests/" in n for n in names)
    # Installed alone into a folder of its own; its dependencies are this environment's.
    place = tmp_path / "installed"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
         "--disable-pip-version-check", "--target", str(place), str(wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # As another site finds them: Pelican's namespace discovery, each plugin by its short name.
    probe = (
        "import blogtools.publish, pathlib, pelican;"
        "from pelican.plugins._utils import get_namespace_plugins, load_plugins;"
        "found = get_namespace_plugins();"
        "import pelican.plugins.citations.engine as e;"
        "assert (pathlib.Path(e.__file__).parent / 'engine.lua').is_file();"
        "[citations, charts] = load_plugins({'PLUGINS': ['citations', 'sampling_charts']});"
        "print(blogtools.publish.__file__, citations.__file__, charts.__file__, pelican.__file__);"
        "print(*sorted(found))"
    )
    # from a folder that is not the repository, so that only the installed package is found
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(place)},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    files, found = ran.stdout.splitlines()
    *ours_installed, pelicans = files.split()
    assert all(path.startswith(str(place)) for path in ours_installed), files
    assert not pelicans.startswith(str(place))  # Pelican's own package, untouched
    assert found.split() == sorted(project_plugins())


@pytest.fixture
def bootstrap(tmp_path):
    """blog.py in a folder of its own, with requirements that install quickly."""
    shutil.copy2(ROOT / "blog.py", tmp_path / "blog.py")
    invoke = f"invoke=={metadata.version('invoke')}\n"
    (tmp_path / "requirements.txt").write_text(invoke)
    (tmp_path / "requirements-dev.txt").write_text(invoke)
    (tmp_path / "tasks.py").write_text(
        "from invoke import task\n\n@task\ndef hello(c):\n    print('hello from the task')\n"
    )
    return tmp_path


def blog(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "blog.py", *arguments], cwd=folder, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def test_blog_py_sets_up_once_then_runs_the_task_at_once(bootstrap):
    first = blog(bootstrap, "hello")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "making .venv/" in first.stdout and "installing the Python packages" in first.stdout
    assert first.stdout.index("installing") < first.stdout.index("hello from the task")
    again = blog(bootstrap, "hello")
    assert again.returncode == 0 and again.stdout == "hello from the task\n"  # nothing else said
    with (bootstrap / "requirements.txt").open("a") as requirements:
        requirements.write("# a change\n")
    changed = blog(bootstrap, "hello")
    assert "making" not in changed.stdout and "installing the Python packages" in changed.stdout
    failing = blog(bootstrap, "no-such-task")
    assert failing.returncode != 0 and "No idea what 'no-such-task' is" in failing.stderr


def test_blog_py_interrupted_leaves_nothing_half_made(bootstrap):
    running = subprocess.Popen(
        [sys.executable, "blog.py", "hello"], cwd=bootstrap, stdout=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )  # fmt: skip
    assert "making .venv/" in running.stdout.readline()
    running.send_signal(signal.SIGINT)  # as Ctrl-C does, while the environment is being made
    running.communicate(timeout=120)
    venv = bootstrap / ".venv"
    assert not venv.exists() or (venv / ".made").exists()
    # and a kill, which nothing can clean up after: the next run sees it and starts again
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    resumed = blog(bootstrap, "hello")
    assert "removing the half-made .venv/" in resumed.stdout, resumed.stdout + resumed.stderr
    assert resumed.stdout.endswith("hello from the task\n")


def test_the_project_is_installed_editable_so_nothing_edits_sys_path(tmp_path):
    """blog.py runs ``pip install -e .``: the settings, tasks and benchmarks import by name."""
    # the installed record (the source folder's *.egg-info, made by the build, has none)
    [where] = [
        json.loads(found.read_text("direct_url.json"))
        for found in metadata.distributions(name="childprotection-blog")
        if found.read_text("direct_url.json")
    ]
    assert where["dir_info"].get("editable") is True, where
    assert Path(where["url"].removeprefix("file://")).resolve() == ROOT
    probe = (
        "import blogtools, blogsupport, pelican.plugins.sampling_charts;"
        "import pelican.plugins.citations as c;"
        "print(c.__file__)"
    )
    # isolated (-I): neither the current folder nor PYTHONPATH is on the path
    ran = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    assert Path(ran.stdout.strip()).is_relative_to(ROOT / "plugins")
