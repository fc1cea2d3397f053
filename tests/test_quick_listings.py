"""Listings that know their members: the same site, and ``in`` still right after changes."""

from __future__ import annotations

import filecmp
import pickle
import shutil

from fixture_sites import write_posts
from sitebuild import GUARDS, SEED, pelican, project_plugins

from quick_listings import Members


class Post:
    """Compares by identity, as Pelican's contents do."""


def test_membership_is_by_identity_and_follows_every_change():
    a, b, c, d = Post(), Post(), Post(), Post()
    listing = Members([a])
    assert a in listing and b not in listing
    listing.append(b)
    assert b in listing
    listing.extend([c])
    listing.remove(a)
    assert a not in listing and c in listing
    listing[0] = d
    assert b not in listing and d in listing
    listing.insert(0, a)
    del listing[1]
    assert a in listing and d not in listing
    listing += [b]
    assert b in listing and listing.pop() is b and b not in listing
    listing.clear()
    assert a not in listing and list(listing) == []
    assert Post() not in Members([Post()]), "an equal-looking other post is not a member"
    kept = Members([a, b])
    assert a in kept
    copied = pickle.loads(pickle.dumps(kept))
    assert type(copied) is Members and len(copied) == 2 and copied[0] in copied
    assert a not in copied, "a copy's members are its own objects"


def test_the_site_is_the_same_with_and_without(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    write_posts(content, 30)  # tags shared by many posts, several pages of each
    quick = pelican(tmp_path / "quick" / "output", content=content)
    without = [p for p in project_plugins() if p != "quick_listings"]
    plain = pelican(tmp_path / "plain" / "output", content=content, PLUGINS=[*without, *GUARDS])
    assert quick.returncode == 0 and plain.returncode == 0, quick.log + plain.log
    assert "quick_listings" in project_plugins()
    files = sorted(str(p.relative_to(quick.output)) for p in quick.output.rglob("*") if p.is_file())
    assert files == sorted(
        str(p.relative_to(plain.output)) for p in plain.output.rglob("*") if p.is_file()
    )
    assert any("/tag/" in name or name.startswith("tag") for name in files), files[:20]
    _, differ, errors = filecmp.cmpfiles(quick.output, plain.output, files, shallow=False)
    assert (differ, errors) == ([], [])
