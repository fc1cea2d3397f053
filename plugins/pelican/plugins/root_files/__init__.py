"""Files in content/extra/ published at the site's root, under the same relative path.

The plugin is ``extra.py``; its settings and what it does are said there.
"""

from .extra import register

__all__ = ["register"]
