"""Reads for the dashboard: querysets with their joins, filters and counts, one module per area.

Views call selectors to read and services to write; selectors never call JobMojito.
"""
