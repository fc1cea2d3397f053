"""Every address worked out once a build, not each time a template asks for it.

Pelican formats a post's address (``ARTICLE_URL`` with its date, slug and
category) afresh whenever it is asked, and so for a tag's; every listing, feed,
sidebar, sitemap and neighbour link asks, some forty times a post: a fifth of a
warm build of a thousand posts. Once every generator has read its content
(``all_generators_finalized``), nothing changes an address any more, so from
then to the end of the build each address and file name is kept the first time
it is worked out. Objects kept from an earlier build (the live preview keeps
posts) work theirs out again: what is kept is marked with its build.

No settings; the output is the same with or without it.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

_now = {"build": 0, "fixed": False}


def _kept(name: str, work_out):
    """A property that keeps, on the object, the value ``work_out`` gives, while fixed."""
    slot = f"_fixed_{name}"

    def get(self):
        kept = self.__dict__.get(slot)
        if kept is not None and kept[0] == _now["build"]:
            return kept[1]
        value = work_out(self)
        if _now["fixed"]:
            self.__dict__[slot] = (_now["build"], value)
        return value

    get.__doc__ = f"The {name}, worked out once a build when every content is read."
    return property(get)


_ORIGINAL = {
    (Content, "url"): Content.url,
    (Content, "save_as"): Content.save_as,
    (URLWrapper, "url"): URLWrapper.url,
    (URLWrapper, "save_as"): URLWrapper.save_as,
}


def _patch() -> None:
    for (cls, name), original in _ORIGINAL.items():
        if getattr(cls, name) is original:
            setattr(cls, name, _kept(name, original.fget))


def _initialised(pelican) -> None:
    _now["build"] += 1
    _now["fixed"] = False


def _all_read(generators) -> None:
    _now["fixed"] = True


def _finalised(pelican) -> None:
    _now["fixed"] = False


def register() -> None:
    _patch()
    signals.initialized.connect(_initialised)
    signals.all_generators_finalized.connect(_all_read)
    signals.finalized.connect(_finalised)
