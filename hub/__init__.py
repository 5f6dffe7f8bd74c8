"""Spirit Hub kernel: settings, database, event bus, errors, security and the composition root."""
