"""Spirit Hub AI: offline sentence encoder, intent classification and their benchmarks (see docs/ai.md)."""
