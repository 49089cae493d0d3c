"""The JobMojito boundary: client, errors, vocabulary, embed signing, webhooks, sandbox.

Never imports from ``recruiting``.
"""

__version__ = "0.1.0"
