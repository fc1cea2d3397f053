"""What a blog moved from Blogger keeps: every old address, and its readers' comments.

The plugin is ``archive.py``; its settings and what it does are said there.
"""

from .archive import register

__all__ = ["register"]
