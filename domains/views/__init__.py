"""Read models that span domains: what a screen or the assistant reads, built from several domains' tables
(the traveler's trip, the dispatch board). Nothing below imports them."""
