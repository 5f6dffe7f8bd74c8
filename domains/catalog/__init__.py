"""The organization's catalog of tours, activities, restaurants and hotels."""
