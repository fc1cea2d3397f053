"""Pelican's listings asked "is this post on it?" in constant time, not by a scan.

The plugin is ``listings.py``; its settings and what it does are said there.
"""

from .listings import register

__all__ = ["register"]
