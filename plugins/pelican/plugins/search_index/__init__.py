"""Full-text search: a Pagefind index of the published posts, made as the site is built.

The plugin is ``build.py``; its settings and what it does are said there.
"""

from .build import register

__all__ = ["register"]
