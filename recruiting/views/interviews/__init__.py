"""The interviews area: the list and the interview page (pages), the three create forms (create),
and the state actions (actions)."""
