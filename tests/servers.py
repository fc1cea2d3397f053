"""Real servers for tests, started on 127.0.0.1 by the tests and stopped by them."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 120, step: float = 0.05):
    """What ``condition()`` returns once it is true; TimeoutError if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(step)
    raise TimeoutError(f"never happened: {condition}")


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port}")


@dataclass
class SshServer:
    port: int
    user: str
    identity: Path
    options: str  # for PUBLISH_SSH_OPTIONS

    def target(self, path: Path) -> str:
        return f"{self.user}@127.0.0.1:{path}"


@contextmanager
def ssh_server(workdir: Path):
    """An OpenSSH server with a temporary host key, accepting a temporary user key."""
    workdir.mkdir(parents=True, exist_ok=True)
    host_key, user_key = workdir / "host_key", workdir / "user_key"
    for key in (host_key, user_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    authorized = workdir / "authorized_keys"
    authorized.write_text((workdir / "user_key.pub").read_text())
    authorized.chmod(0o600)
    port = free_port()
    config = workdir / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {authorized}\nPidFile {workdir / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
        "Subsystem sftp internal-sftp\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    process = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port)
        options = (
            f"-o StrictHostKeyChecking=no -o UserKnownHostsFile={workdir / 'known_hosts'} "
            "-o LogLevel=ERROR"
        )
        yield SshServer(port, getpass.getuser(), user_key, options)
    finally:
        process.terminate()
        process.wait(timeout=10)


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextmanager
def nginx_server(root: Path, workdir: Path, extra: str = ""):
    """nginx serving ``root`` on 127.0.0.1 as the README's configuration has it (a symlink
    followed to the live release, 404.html for what is not there); its address."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = workdir / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 2;\ndaemon off;\npid {workdir / 'nginx.pid'};\n"
        f"error_log {workdir / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "  types { text/html html; text/css css; application/javascript js;\n"
        "          image/svg+xml svg; application/xml xml; application/json json;\n"
        "          application/wasm wasm; }\n"
        "  default_type application/octet-stream;\n"
        f"  access_log off;\n  client_body_temp_path {workdir};\n"
        f"  proxy_temp_path {workdir};\n  fastcgi_temp_path {workdir};\n"
        f"  uwsgi_temp_path {workdir};\n  scgi_temp_path {workdir};\n"
        f"  server {{\n    listen 127.0.0.1:{port};\n    root {root};\n"
        f"    error_page 404 /404.html;\n{extra}  }}\n"
        "}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(workdir), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)
