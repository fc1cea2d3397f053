"""Every address worked out once, not each time a template asks for it.

Pelican formats a post's address (``ARTICLE_URL`` with its date, slug and
category) afresh whenever it is asked, and so for a tag's; every listing, feed,
sidebar, sitemap and neighbour link asks, some forty times a post: a fifth of a
warm build of a thousand posts. Once every generator has read its content
(``all_generators_finalized``), nothing changes an address any more, so from
then on each address and file name is kept, on its object, the first time it is
worked out, with what it was worked out from: the object's status, language,
slug, date, category, author and overrides, and the address settings of the
build. The live preview keeps posts from one build to the next; a kept post
whose address would come out the same keeps it, and one whose state or the
settings changed works it out again.

No settings; the output is the same with or without it.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

_now = {"epoch": 0, "fixed": False, "addresses": None}
_CONTENT_STATE = (
    "status", "in_default_lang", "slug", "date", "lang", "category", "author",
    "override_url", "override_save_as",
)  # fmt: skip


def _state(item) -> tuple:
    """What the address of ``item`` is worked out from, besides the settings."""
    if isinstance(item, URLWrapper):
        return (_now["epoch"], id(item.settings), item.name, item.slug)
    return (
        _now["epoch"],
        id(item.settings),
        *(getattr(item, name, None) for name in _CONTENT_STATE),
    )


def _kept(name: str, work_out):
    """A property that keeps, on the object, the value ``work_out`` gives, while fixed."""
    slot = f"_fixed_{name}"

    def get(self):
        kept = self.__dict__.get(slot)
        state = _state(self)
        if kept is not None and kept[0] == state:
            return kept[1]
        value = work_out(self)
        if _now["fixed"]:
            self.__dict__[slot] = (state, value)
        return value

    get.__doc__ = f"The {name}, worked out once its object and the settings are final."
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


def _address_settings(settings: dict) -> list:
    return sorted(
        (key, repr(value))
        for key, value in settings.items()
        if key.endswith(("_URL", "_SAVE_AS")) or "SLUG" in key or key in ("PATH", "SITEURL")
    )


def _initialised(pelican) -> None:
    """A new build: what was kept serves while the address settings are as they were."""
    addresses = _address_settings(pelican.settings)
    if addresses != _now["addresses"]:
        _now["epoch"] += 1
        _now["addresses"] = addresses
    _now["fixed"] = False


def _all_read(generators) -> None:
    _now["fixed"] = True


def _finalised(pelican) -> None:
    _now["fixed"] = False


def register() -> None:
    """Pelican's entry point: the address properties kept, and the build's phases followed."""
    _patch()
    signals.initialized.connect(_initialised)
    signals.all_generators_finalized.connect(_all_read)
    signals.finalized.connect(_finalised)
