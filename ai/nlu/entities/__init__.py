"""Entities of a message: dates, times, counts, booking ids, diets and languages, and catalog places."""
