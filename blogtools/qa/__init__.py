"""Checks of a built site, as a reader would meet it: ``sitecheck`` (links, assets, feeds,
markup) and ``pageweight`` (what each page costs to download)."""
