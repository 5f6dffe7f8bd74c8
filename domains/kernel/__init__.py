"""What every domain builds on: the database base and tenant scoping, the event bus, errors, the unit of
work, security primitives, settings and file storage. Imports nothing above it (see docs/architecture.md)."""
