"""Pelican's content cache in a folder named by what shapes a reading.

The plugin is ``cache_key.py``; its settings and what it does are said there.
"""

from .cache_key import register

__all__ = ["register"]
