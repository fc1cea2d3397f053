"""The address the public site is built for: checked against where it goes, said before the
build, told to GitHub Pages as a CNAME; files at the site's root; the public build for hosts
that build the site themselves."""

from __future__ import annotations

import subprocess

import pytest
from project import copy_project, invoke
from sitebuild import pelican

from blogtools.deploy.address import AddressError, checked_address, github_pages_address
from blogtools.deploy.targets import GitTarget, PathTarget


@pytest.mark.parametrize(
    ("remote", "pages"),
    [
        ("git@github.com:chrismills/blog.git", "https://chrismills.github.io/blog/"),
        ("https://github.com/ChrisMills/blog", "https://chrismills.github.io/blog/"),
        ("ssh://git@github.com/chrismills/chrismills.github.io.git", "https://chrismills.github.io/"),
        ("git@gitlab.com:chrismills/blog.git", None),
        ("/srv/git/site.git", None),
    ],
)  # fmt: skip
def test_where_github_pages_serves_a_repository(remote, pages):
    assert github_pages_address(remote) == pages


@pytest.mark.parametrize(
    ("url", "target", "message"),
    [
        ("", PathTarget("/srv/www"), "the public address is not set"),
        ("chrismillsblog.org.uk", PathTarget("/srv/www"), "is not a web address"),
        ("ftp://example.org", PathTarget("/srv/www"), "is not a web address"),
        ("http://localhost:8000", PathTarget("/srv/www"), "is this machine's"),
        ("http://127.0.0.1:8000", None, "is this machine's"),
        ("http://[::1]:8000", None, "is this machine's"),
        ("https://someone.github.io/blog", GitTarget("git@github.com:chrismills/blog.git"),
         "serves git@github.com:chrismills/blog.git at https://chrismills.github.io/blog/"),
        ("https://chrismills.github.io", GitTarget("git@github.com:chrismills/blog.git"),
         "set PUBLIC_SITEURL"),
        ("https://example.org/blog", GitTarget("git@github.com:chrismills/blog.git"),
         "a custom domain on GitHub Pages serves a site at its root"),
    ],
)  # fmt: skip
def test_addresses_a_site_may_not_be_built_for(url, target, message):
    with pytest.raises(AddressError, match=message.replace(".", r"\.").replace("?", r"\?")):
        checked_address(url, target)


def test_addresses_that_hold():
    assert checked_address("http://127.0.0.1:8080", PathTarget("/srv"), local=True).cname is None
    project_site = GitTarget("git@github.com:chrismills/blog.git")
    assert checked_address("https://chrismills.github.io/blog/", project_site).cname is None
    custom = checked_address("https://chrismillsblog.org.uk", project_site)
    assert custom.cname == "chrismillsblog.org.uk"
    assert checked_address("https://chrismillsblog.org.uk", PathTarget("/srv")).cname is None


def test_a_publish_says_the_address_and_refuses_a_local_one_before_building(tmp_path):
    project = copy_project(tmp_path / "project")
    target = tmp_path / "www"
    local = {"PUBLIC_SITEURL": "http://localhost:8000"}
    refused = invoke(project, "publish", "--target", str(target), env=local, check=False)
    assert refused.returncode == 1 and "is this machine's" in refused.stderr
    assert "Building" not in refused.stdout and not target.exists()
    assert "or publish with --local" in refused.stderr
    done = invoke(project, "publish", "--target", str(target), "--create",
                  env={"PUBLIC_SITEURL": "https://blog.example.net"})  # fmt: skip
    assert done.stdout.startswith(f"Publishing the site for https://blog.example.net to {target}")
    page = (target / "current" / "index.html").read_text()
    assert '<link rel="canonical" href="https://blog.example.net/"' in page


def test_github_pages_with_a_custom_domain_gets_its_cname_at_the_root(tmp_path):
    project = copy_project(tmp_path / "project")
    bare = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    env = {"PUBLIC_SITEURL": "https://blog.example.net"}
    done = invoke(project, "publish", "--target", f"git:{bare}", env=env)
    assert "CNAME for blog.example.net" in done.stdout
    shown = subprocess.run(
        ["git", "--git-dir", str(bare), "show", "gh-pages:CNAME"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.strip() == "blog.example.net"
    dry = invoke(project, "publish", "--target", f"git:{bare}", "--dry-run", env=env)
    assert "- CNAME" not in dry.stdout  # the CNAME is kept, not news


def test_files_in_extra_are_published_at_the_root(tmp_path):
    project = copy_project(tmp_path / "project")
    extra = project / "content" / "extra"
    (extra / ".well-known").mkdir(parents=True)
    (extra / "CNAME").write_text("blog.example.net\n")
    (extra / "_redirects").write_text("/old /new 301\n")
    (extra / ".well-known" / "security.txt").write_text("Contact: mailto:a@example.net\n")
    build = pelican(tmp_path / "site", content=project / "content")
    assert build.returncode == 0, build.log
    assert (build.output / "CNAME").read_text() == "blog.example.net\n"
    assert (build.output / "_redirects").is_file()
    assert (build.output / ".well-known" / "security.txt").is_file()
    assert not (build.output / "extra").exists()


def test_the_public_build_for_hosts_that_build_the_site_themselves(tmp_path):
    project = copy_project(tmp_path / "project")
    env = {"PUBLIC_SITEURL": "https://blog-preview.netlify.app"}
    built = invoke(project, "public", env=env)
    assert "no problems" in built.stdout
    page = (project / "output" / "index.html").read_text()
    assert '<link rel="canonical" href="https://blog-preview.netlify.app/"' in page
    # a build that fails leaves the last good output/ as it was
    post = project / "content" / "2017-06-22-the-cupboard-is-bare.md"
    post.write_text(post.read_text() + "\nAs [@nobody2099] showed.\n")
    failed = invoke(project, "public", env=env, check=False)
    assert failed.returncode == 1 and "nobody2099" in failed.stderr
    assert (project / "output" / "index.html").read_text() == page
    assert not [p for p in project.iterdir() if p.name.startswith("public-")]


def test_the_public_preview_serves_the_strict_build_addressed_at_localhost(tmp_path):
    """``blog.py public-preview``: the site as it will be published, served here."""
    import os
    import signal
    import sys
    import urllib.request

    from servers import free_port, wait_for

    project = copy_project(tmp_path / "project")
    port = free_port()
    running = subprocess.Popen(
        [sys.executable, "-m", "invoke", "public-preview", "--port", str(port)], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip

    def home() -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                return answer.read().decode("utf-8")
        except OSError:
            assert running.poll() is None, running.stdout.read().decode()
            return None

    try:
        page = wait_for(home, timeout=180)
    finally:
        os.killpg(running.pid, signal.SIGTERM)
        running.wait(timeout=30)
    assert f'rel="canonical" href="http://localhost:{port}/"' in page
    assert (project / "output" / "feeds" / "all.atom.xml").is_file()  # the public site's feeds
