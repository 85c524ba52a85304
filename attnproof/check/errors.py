"""Why the checker could not read a formula. Never shown as a traceback: it becomes a finding."""


class Unrecognised(Exception):
    """The formula uses notation the grammar does not cover; the message names the first such piece."""
