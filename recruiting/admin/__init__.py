"""The operations console: every recruiting model, plus the JobMojito call log and webhook inbox.

One module per family (add admin actions there); all changelists use the estimated-count paginator.
"""

from . import bulk, candidates, interviews, knowledge, mojito, results  # noqa: F401 - registers the admins

from .actions import install as _install_actions  # noqa: E402

_install_actions()
