"""Errors the user can act on."""


class UserError(Exception):
    """A problem the user can fix (a bad file, a bad option): printed as one line, exit status 2.

    The message names what is wrong, e.g. ``feeds.toml: feed 'Dawn': interval: must be >= 60``.
    """
