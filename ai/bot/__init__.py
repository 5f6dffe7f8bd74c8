"""The travelers' assistant: a question in, a reply grounded in the asker's own trip out (docs/ai.md "The bot")."""
