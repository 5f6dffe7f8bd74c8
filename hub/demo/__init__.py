"""The demo organization: users, groups, itineraries, catalog and a busy week (`python -m hub seed-demo`)."""
