"""Writes and side effects; the only callers of mojito.client."""
