"""Moving a blog from Blogger: its export read (``export``), its HTML made Markdown
(``markup``), its images fetched (``images``), and the import itself (``importer``).
The old addresses are kept working by the ``blogger_archive`` plugin, from the record
the import leaves in ``content/blogger/import.json``."""
