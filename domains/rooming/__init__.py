"""Rooming lists: who sleeps in which room at each hotel, checked against the group's participants."""
