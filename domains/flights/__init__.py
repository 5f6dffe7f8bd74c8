"""Flights a group takes, the participants on board, and the manifest built from them."""
