"""The background work of the hub: the scheduler, outbox delivery and the SMS/email providers."""
