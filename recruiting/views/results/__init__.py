"""The results area: the list (and review queue), the export, one result and its actions."""
