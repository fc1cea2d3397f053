"""The small library the plugins share, and the theme's filters with them.

Problems with their file and line (one format, logged through Pelican), the results
cache, the worker pool, text decoding, HTML cutting, and the two Pelican internals the
plugins touch (the reader cache, and link resolving, which ``srcset.py`` extends). It
imports nothing of the application (``blogtools``) nor of any plugin: the plugins import
it, and nothing imports upward.
"""
