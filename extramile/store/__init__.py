"""The journal store: one append-only JSON Lines file per participant, on this machine or through the hub's
journal service, behind one interface (journal_store.JournalStore) chosen in one place (open_journal).

Nothing here knows about pages or figures: the layers above only append entries and read them back.
"""
