"""Running Pagefind (the binary the PyPI package ships) over a built site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from blogtools.problems import Problem


def index_site(output: str, subdir: str = "pagefind") -> Problem | None:
    """Index ``output`` in place; a Problem if Pagefind could not."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(output),
        "--output-subdir",
        subdir,
        "--quiet",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Problem(
            str(output),
            None,
            f"search index: Pagefind did not run ({error})",
            "install the pinned requirements: pip install -r requirements.txt",
        )
    if result.returncode != 0 or not (Path(output) / subdir / "pagefind.js").is_file():
        detail = " ".join((result.stderr or result.stdout).split())[:400]
        return Problem(
            str(output),
            None,
            f"search index: Pagefind failed ({detail})",
            "check that the output folder holds the built site",
        )
    return None
