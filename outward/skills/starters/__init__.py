"""Conversation starters (issue 10): Outward's bank (data/starters.json), the practice's own
(Starter), a client's favourites and own starters, rehearsing one alone, and the opening line
a plan to go picks from them (offered to community through care.happenings)."""
