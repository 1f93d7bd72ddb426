"""Readers and writers, one module per format family.

Every reader takes text or bytes and returns a :class:`mapping.model.Map`; every writer takes
a map and returns text or bytes. None of them touch the file system: callers do.
"""
