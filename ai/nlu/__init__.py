"""Understanding a message: its intent (a MiniLM head) and its entities (rules over the text)."""
