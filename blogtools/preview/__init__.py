"""The live preview: ``server`` (serving, watching, reloading the page), ``builder`` (a
process keeping the site in memory between saves), ``index`` (the search index, in a
process of its own) and ``protocol`` (the messages between server and builder)."""
