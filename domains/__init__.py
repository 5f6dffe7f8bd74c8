"""The business: models, services (verbs), schemas and events. No HTTP, sockets or AI here."""
