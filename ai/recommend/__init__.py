"""Catalog recommendations for a group: per-organization faiss indexes, ranking and one-line reasons."""
