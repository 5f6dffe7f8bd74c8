"""Socket.IO: connect auth, rooms, presence, chat, itinerary ops, broadcast of domain events."""
