"""The operations console: every recruiting model, plus the JobMojito call log and webhook inbox.

One module per family; each ModelAdmin declares its actions (written in ``actions.py``). Mirrors of
JobMojito are read-only here (``base.MirrorReadOnlyMixin``). All changelists use the
estimated-count paginator.
"""

from . import bulk, candidates, interviews, knowledge, mojito, results  # noqa: F401 - registers the admins
