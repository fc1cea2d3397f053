"""Links from posts and pages to files in the content folder: checked as each is read,

The plugin is ``build.py``; its settings and what it does are said there.
"""

from .build import register

__all__ = ["register"]
