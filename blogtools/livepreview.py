"""The live preview: rebuild on save, reload the open page.

Each rebuild runs Pelican in a child process, so that a broken post, setting or
plugin fails that build only and the server keeps going; the next good save
shows the new site.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# What a save can change the site through.
WATCHED = ("content", "theme", "plugins", "pelicanconf.py", "publishconf.py")


def build_command(root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pelican",
        str(root / "content"),
        "-s",
        str(root / "pelicanconf.py"),
        "-o",
        str(root / "output"),
    ]


def run_live_preview(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    from livereload import Server

    def rebuild() -> None:
        subprocess.run(build_command(root), cwd=root, check=False)

    rebuild()
    server = Server()
    for name in WATCHED:
        server.watch(str(root / name), rebuild)
    print(f"Live preview at http://localhost:{port}/ (Ctrl-C to stop)")
    server.serve(host=host, port=port, root=str(root / "output"), open_url_delay=None)
