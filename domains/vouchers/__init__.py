"""Vouchers: what a group is entitled to at a partner (hotel, restaurant, attraction), with signed codes."""
