"""The live collaborative itinerary: ops, ordering keys, validation, exports."""
