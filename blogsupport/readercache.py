"""Pelican's reader cache, let go of once Pelican has saved it.

Pelican holds every post as read (its HTML and metadata) in memory for the rest
of the build, after it has written them to its cache file. Our plugins give a
post new HTML, with its citations and charts filled in, so the HTML as read is
then held by that cache alone: letting go of the cache gives the memory back.
"""

from __future__ import annotations


def release(generator) -> None:
    """Called when a generator is finalized: its readers have saved their cache."""
    readers = getattr(generator, "readers", None)
    if readers is not None and getattr(readers, "_cache", None):
        readers._cache = {}
        readers._cache_data_policy = False  # a later save must not write the emptied cache
