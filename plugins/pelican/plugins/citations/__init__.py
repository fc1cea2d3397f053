"""Citations from BibTeX files in posts, formatted by pandoc's citeproc in a CSL style.

Posts cite with pandoc's syntax (``@reason2000``, ``[see @reason2000, p. 768]``);
pandoc reads the .bib files and formats each post's citations and reference list,
and this plugin does what is ours: each citation links to its entry in a
References section at the foot of the post, with the full reference shown on
hover or focus; a site-wide References page lists every cited work with the posts
that cite it; feeds carry both; results are cached; and what the author can get
wrong is logged in one format (``path:line: what — what to do``), so the preview
goes on and the strict build fails.

Settings: ``build.SETTINGS`` (each with its default and meaning). Metadata:
``CSL`` (or ``Citation-Style``) and ``Nocite`` (keys, or ``@*`` for all). Adds to
the template context ``citations_page`` (its URL and title) and, on that page,
``references`` (entries with the posts citing them).
"""

from .build import register

__all__ = ["register"]
