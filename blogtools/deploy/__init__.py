"""Deploying a built site: to a folder, a server over SSH, or a git branch.

What it guarantees (each part says how): one publish or rollback at a time on a
target (lock.py); a release is live whole or not at all, and a rollback only ever
goes to a complete one (folder.py); a search page opened before a publish keeps
finding its index (the search files of the releases kept are carried over); a
target is data, never an option (targets.py); a step that fails leaves the live site
as it was, with a message saying which step and why.
"""
